'use strict';
/**
 * The answer of a Lambda-backed custom resource: a PUT of the result to the presigned S3 URL CloudFormation gave
 * (CloudFormation User Guide, "Custom resource response objects"). Without it the stack waits an hour.
 */
async function respond(event, result) {
  const body = JSON.stringify({
    Status: result.status,
    Reason: (result.reason ?? '').slice(0, 3500) || (result.status === 'SUCCESS' ? 'done' : 'failed'),
    PhysicalResourceId: result.physicalResourceId ?? event.PhysicalResourceId ?? event.LogicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    NoEcho: false,
    Data: result.data ?? {},
  });
  const res = await fetch(event.ResponseURL, { method: 'PUT', body, headers: { 'Content-Type': '' } });
  if (!res.ok) throw new Error(`the CloudFormation response was refused: HTTP ${res.status}`);
}

module.exports = { respond };
