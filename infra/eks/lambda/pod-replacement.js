'use strict';
/**
 * Custom resource `Custom::MultinicPodReplacement`, run before the manifest file that holds the intent's bare Pods
 * (infra/eks/pod-replacement.ts): the EKS counterpart of the Pod step of infra/bootstrap/apply-manifests.sh. A bare
 * Pod cannot take most changes in place (lib/pod-spec.ts), so each carries `multinic.dev/pod-spec:
 * NAMESPACE/NAME/HASH`; the resource's `Wanted` property lists those values. On Create and Update this deletes every
 * running Pod multinic applied (label app.kubernetes.io/managed-by=multinic) whose value differs from the wanted one,
 * waits until it is gone, and answers; the kubectl handler's apply that follows creates it again. Delete does
 * nothing (the manifests' own resources delete their objects).
 */
const { respond } = require('./cfn-response');
const { clientFromEnv, sleep } = require('./kube');

const ANNOTATION = 'multinic.dev/pod-spec';
const MANAGED = 'app.kubernetes.io/managed-by=multinic';

/** The Pods to delete: `namespace/name` of each live Pod whose value differs from its wanted one (as lib/pod-spec.ts). */
function podsToReplace(wanted, live) {
  return wanted.flatMap((w) => {
    const pod = w.slice(0, w.lastIndexOf('/'));
    return live.has(pod) && live.get(pod) !== w ? [pod] : [];
  });
}

/** `namespace/name` -> pod-spec value ('' without one) of the Pods multinic applied, with their uids. */
async function livePods(kube) {
  const list = await kube.call('GET', `/api/v1/pods?labelSelector=${encodeURIComponent(MANAGED)}`);
  const values = new Map();
  const uids = new Map();
  for (const p of list.items ?? []) {
    const key = `${p.metadata.namespace}/${p.metadata.name}`;
    values.set(key, p.metadata.annotations?.[ANNOTATION] ?? '');
    uids.set(key, p.metadata.uid);
  }
  return { values, uids };
}

/** Deletes the Pod (only the one with `uid`) and waits until it is gone; false when it outlives `deadline`. */
async function deleteAndWait(kube, pod, uid, deadline, pollMs) {
  const [ns, name] = pod.split('/');
  const path = `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(name)}`;
  const r = await kube.raw('DELETE', path, { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { uid } });
  if (r.status === 404 || r.status === 409) return true; // already gone, or a newer Pod of that name
  if (r.status < 200 || r.status > 299) throw new Error(`cannot delete Pod ${pod}: HTTP ${r.status} ${r.body?.message ?? ''}`);
  while (Date.now() < deadline) {
    const g = await kube.raw('GET', path);
    if (g.status === 404 || (g.status === 200 && g.body?.metadata?.uid !== uid)) return true;
    await sleep(pollMs);
  }
  return false;
}

/** Replaces the changed Pods; returns what it did. */
async function replaceChanged(kube, wanted, opts = {}) {
  const { values, uids } = await livePods(kube);
  const changed = podsToReplace(wanted, values);
  const deadline = Date.now() + (opts.waitMs ?? 120000);
  const done = await Promise.all(changed.map((p) => deleteAndWait(kube, p, uids.get(p), deadline, opts.pollMs ?? 2000)));
  const stuck = changed.filter((_, i) => !done[i]);
  if (stuck.length > 0) throw new Error(`Pods still terminating after ${Math.round((opts.waitMs ?? 120000) / 1000)} s: ${stuck.join(', ')}; the apply would patch them instead of creating them again`);
  return { replaced: changed };
}

/**
 * @param {any} event the CloudFormation custom resource event
 * @param {unknown} _context
 * @param {{ kube?: any, respond?: typeof respond, waitMs?: number, pollMs?: number, log?: (s: string) => void }} deps
 */
async function handler(event, _context, deps = {}) {
  const physicalResourceId = 'multinic-pod-replacement';
  const log = deps.log ?? console.log;
  try {
    if (event.RequestType === 'Delete') {
      await (deps.respond ?? respond)(event, { status: 'SUCCESS', physicalResourceId, reason: 'nothing to do on delete' });
      return;
    }
    const wanted = event.ResourceProperties?.Wanted ?? [];
    if (!Array.isArray(wanted)) throw new Error('property Wanted must be a list of NAMESPACE/NAME/HASH values');
    const kube = deps.kube ?? clientFromEnv();
    const { replaced } = await replaceChanged(kube, wanted, deps);
    for (const p of replaced) log(`Pod ${p} changed: deleted so that the apply creates it again`);
    await (deps.respond ?? respond)(event, { status: 'SUCCESS', physicalResourceId, reason: `${replaced.length} changed Pod(s) deleted`, data: { Replaced: replaced.join(',') } });
  } catch (e) {
    log(`failed: ${e.stack ?? e}`);
    await (deps.respond ?? respond)(event, { status: 'FAILED', physicalResourceId, reason: `multinic pod replacement: ${e.message}` });
  }
}

module.exports = { handler, podsToReplace, replaceChanged, ANNOTATION, MANAGED };
