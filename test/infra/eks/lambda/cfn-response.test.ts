/** The custom resource's answer (infra/eks/lambda/cfn-response.js), received by a local HTTP server. */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

const { respond } = require('../../../../infra/eks/lambda/cfn-response.js');

describe('cfn-response', () => {
  test('the answer is a PUT of CloudFormation\'s response object to the ResponseURL', async () => {
    const got: Array<{ method?: string; body: string; type?: string }> = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => { got.push({ method: req.method, body, type: req.headers['content-type'] }); res.end(); });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/signed?x=1`;
      await respond({ RequestType: 'Update', ResponseURL: url, StackId: 'arn:stack', RequestId: 'r1', LogicalResourceId: 'Pods' }, { status: 'SUCCESS', physicalResourceId: 'p', reason: 'ok', data: { A: 'b' } });
      expect(got).toHaveLength(1);
      expect(got[0].method).toBe('PUT');
      expect(got[0].type ?? '').toBe('');
      expect(JSON.parse(got[0].body)).toEqual({ Status: 'SUCCESS', Reason: 'ok', PhysicalResourceId: 'p', StackId: 'arn:stack', RequestId: 'r1', LogicalResourceId: 'Pods', NoEcho: false, Data: { A: 'b' } });
    } finally {
      server.close();
    }
  });

  test('a refused answer is an error (the function logs it; CloudFormation would otherwise wait an hour unseen)', async () => {
    const server = http.createServer((_req, res) => { res.statusCode = 403; res.end(); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
      await expect(respond({ ResponseURL: url, LogicalResourceId: 'L' }, { status: 'FAILED', reason: 'r' })).rejects.toThrow(/HTTP 403/);
    } finally {
      server.close();
    }
  });
});
