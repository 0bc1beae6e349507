'use strict';
/**
 * The EKS counterpart of the kubeadm control plane's drain loop (infra/bootstrap/drain.sh) and of a kubeadm node's
 * Ready signal, run by EventBridge for the Auto Scaling lifecycle hooks of multinic's worker groups
 * (infra/eks/node-lifecycle.ts; docs/eks.md, "Replacing a node"):
 *
 * - `EC2 Instance-launch Lifecycle Action` (hook multinic-ready): waits until the instance's Node (spec.providerID
 *   `aws:///<zone>/<instance-id>`, which nodeadm sets) is Ready, then completes the action (CONTINUE) and signals
 *   SUCCESS for the instance to the Auto Scaling group's CloudFormation resource, so that a rolling update
 *   (WaitOnResourceSignals) goes on to the next old node only after the new one is Ready. Not Ready in time: the
 *   action is completed with ABANDON (the instance is terminated) and FAILURE signalled, which fails the update.
 * - `EC2 Instance-terminate Lifecycle Action` (hook multinic-drain): cordons the Node, evicts its pods through the
 *   Eviction API (so PodDisruptionBudgets are honoured: a refused eviction, HTTP 429, is retried), skipping
 *   DaemonSet and mirror pods, waits for them to be gone, deletes the Node and completes the action (CONTINUE). A
 *   drain that cannot finish in time continues the termination anyway, as kubeadm's does.
 */
const { AutoScalingClient, CompleteLifecycleActionCommand } = require('@aws-sdk/client-auto-scaling');
const { CloudFormationClient, SignalResourceCommand } = require('@aws-sdk/client-cloudformation');
const { clientFromEnv, sleep } = require('./kube');

const LAUNCH = 'EC2 Instance-launch Lifecycle Action';
const TERMINATE = 'EC2 Instance-terminate Lifecycle Action';

/** The Node whose spec.providerID names `instanceId` (`aws:///<zone>/<id>`), or undefined. */
async function findNode(kube, instanceId) {
  const list = await kube.call('GET', '/api/v1/nodes');
  return (list.items ?? []).find((n) => typeof n.spec?.providerID === 'string' && n.spec.providerID.split('/').pop() === instanceId);
}

const isReady = (node) => (node?.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/** Pods a drain must move: not owned by a DaemonSet, not mirror pods (kubectl drain --ignore-daemonsets --force). */
function podsToEvict(pods) {
  return pods.filter((p) => !(p.metadata.ownerReferences ?? []).some((o) => o.kind === 'DaemonSet')
    && !(p.metadata.annotations ?? {})['kubernetes.io/config.mirror']);
}

async function podsOn(kube, nodeName) {
  const list = await kube.call('GET', `/api/v1/pods?fieldSelector=${encodeURIComponent(`spec.nodeName=${nodeName}`)}`);
  return podsToEvict(list.items ?? []);
}

/**
 * Cordons `nodeName` and evicts its pods until none is left or `deadline` passes (evictions a PodDisruptionBudget
 * refuses are retried every `pollMs`). Returns the pods still there (empty when the drain finished).
 */
async function drainNode(kube, nodeName, deadline, pollMs = 5000, log = console.log) {
  await kube.call('PATCH', `/api/v1/nodes/${encodeURIComponent(nodeName)}`, { spec: { unschedulable: true } }, 'application/strategic-merge-patch+json');
  const asked = new Set();
  for (;;) {
    const pods = await podsOn(kube, nodeName);
    if (pods.length === 0) return [];
    for (const p of pods) {
      const key = `${p.metadata.namespace}/${p.metadata.name}/${p.metadata.uid}`;
      if (asked.has(key) || p.metadata.deletionTimestamp) continue;
      const r = await kube.raw('POST', `/api/v1/namespaces/${encodeURIComponent(p.metadata.namespace)}/pods/${encodeURIComponent(p.metadata.name)}/eviction`, {
        apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: p.metadata.name, namespace: p.metadata.namespace },
      });
      if (r.status >= 200 && r.status < 300) {
        asked.add(key);
        log(`evicted ${p.metadata.namespace}/${p.metadata.name} from ${nodeName}`);
      } else if (r.status === 404) {
        asked.add(key);
      } else if (r.status === 429) {
        log(`eviction of ${p.metadata.namespace}/${p.metadata.name} refused for now (PodDisruptionBudget): ${r.body?.message ?? ''}`);
      } else {
        log(`eviction of ${p.metadata.namespace}/${p.metadata.name} failed: HTTP ${r.status} ${r.body?.message ?? ''}`);
      }
    }
    if (Date.now() >= deadline) return pods.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    await sleep(pollMs);
  }
}

/** Waits until the Node of `instanceId` exists and is Ready; its name, or undefined at `deadline`. */
async function waitReady(kube, instanceId, deadline, pollMs = 10000, log = console.log) {
  for (;;) {
    // The API can be briefly unreachable (a control-plane update); keep waiting until the deadline.
    const node = await findNode(kube, instanceId).catch((e) => { log(`listing nodes: ${e.message}`); return undefined; });
    if (isReady(node)) return node.metadata.name;
    if (Date.now() >= deadline) return undefined;
    await sleep(pollMs);
  }
}

function metadataOf(detail) {
  try {
    return JSON.parse(detail.NotificationMetadata ?? '{}');
  } catch {
    return {};
  }
}

/**
 * @param {any} event the EventBridge event
 * @param {{ getRemainingTimeInMillis(): number }} context
 * @param {{ kube?: any, autoscaling?: AutoScalingClient, cloudformation?: CloudFormationClient, pollMs?: number, marginMs?: number, log?: (s: string) => void }} deps
 */
async function handler(event, context, deps = {}) {
  const d = event.detail ?? {};
  const log = deps.log ?? console.log;
  const kube = deps.kube ?? clientFromEnv();
  const asg = deps.autoscaling ?? new AutoScalingClient({});
  const instance = d.EC2InstanceId;
  if (!instance || !d.AutoScalingGroupName || !d.LifecycleHookName) throw new Error(`not a lifecycle action: ${JSON.stringify(event)}`);
  // Stop in time to answer: the function's own timeout, less a margin.
  const deadline = Date.now() + Math.max(0, context.getRemainingTimeInMillis() - (deps.marginMs ?? 30000));
  const complete = (result) => asg.send(new CompleteLifecycleActionCommand({
    AutoScalingGroupName: d.AutoScalingGroupName, LifecycleHookName: d.LifecycleHookName,
    LifecycleActionToken: d.LifecycleActionToken, InstanceId: instance, LifecycleActionResult: result,
  }));

  if (event['detail-type'] === TERMINATE) {
    const node = await findNode(kube, instance);
    if (node === undefined) {
      log(`${instance}: no Node names it (never joined, or already gone); continuing the termination`);
    } else {
      const name = node.metadata.name;
      log(`draining ${name} (${instance}) before ${d.AutoScalingGroupName} terminates it`);
      const left = await drainNode(kube, name, deadline, deps.pollMs, log);
      if (left.length > 0) log(`drain of ${name} did not finish in time (left: ${left.join(', ')}); continuing the termination`);
      const r = await kube.raw('DELETE', `/api/v1/nodes/${encodeURIComponent(name)}`);
      if (r.status !== 404 && (r.status < 200 || r.status > 299)) log(`could not delete Node ${name}: HTTP ${r.status}`);
    }
    await complete('CONTINUE');
    return { instance, result: 'CONTINUE', node: node?.metadata?.name };
  }
  if (event['detail-type'] === LAUNCH) {
    const name = await waitReady(kube, instance, deadline, deps.pollMs, log);
    const ok = name !== undefined;
    log(ok ? `${instance} is Node ${name}, Ready` : `${instance}: no Ready Node in time; abandoning the launch`);
    await complete(ok ? 'CONTINUE' : 'ABANDON');
    const meta = metadataOf(d);
    if (meta.stack && meta.resource) {
      const cfn = deps.cloudformation ?? new CloudFormationClient({});
      // Only a rolling update waits for signals; at other times CloudFormation refuses them, which is fine.
      await cfn.send(new SignalResourceCommand({ StackName: meta.stack, LogicalResourceId: meta.resource, UniqueId: instance, Status: ok ? 'SUCCESS' : 'FAILURE' }))
        .catch((e) => log(`no signal taken for ${meta.resource} (${e.name ?? 'error'}: ${e.message}); fine outside a rolling update`));
    }
    return { instance, result: ok ? 'CONTINUE' : 'ABANDON', node: name };
  }
  throw new Error(`unexpected event ${event['detail-type']}`);
}

module.exports = { handler, findNode, drainNode, waitReady, podsToEvict, isReady, LAUNCH, TERMINATE };
