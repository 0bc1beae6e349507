/**
 * What a rule's label selectors pick among the intent's workloads: the pods a rule protects (`pods`) and the pod
 * peers it admits (`from[].pods`). Only workloads attached to the network count: a rule admits a peer's address
 * on that network, and protects a pod's interface on it.
 */
import type { IngressRule, PolicyPeer } from '../intent/types';
import type { IntentModel, ResolvedNetwork, ResolvedWorkload } from '../model/model';

/** Whether `labels` carry every key/value of `selector` (an empty selector matches everything). */
export function selects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** Workloads with an attachment to `n`, in intent order. */
export function attachedWorkloads(model: IntentModel, n: ResolvedNetwork): ResolvedWorkload[] {
  return model.workloads.filter((w) => w.attachments.some((a) => a.network?.key === n.key));
}

/** Namespaces of the workloads attached to `n`, sorted: where its MultiNetworkPolicy objects go. */
export function protectedNamespaces(model: IntentModel, n: ResolvedNetwork): string[] {
  return [...new Set(attachedWorkloads(model, n).map((w) => w.workload.namespace))].sort();
}

/** The namespace a pod peer's labels are looked up in: its own, else the network's. */
export function peerNamespace(peer: PolicyPeer, n: ResolvedNetwork): string {
  return peer.namespace ?? n.network.namespace;
}

/** Workloads on `n` that a pod peer selects (none for a CIDR peer). */
export function peerWorkloads(model: IntentModel, n: ResolvedNetwork, peer: PolicyPeer): ResolvedWorkload[] {
  if (peer.pods === undefined) return [];
  const ns = peerNamespace(peer, n);
  return attachedWorkloads(model, n).filter((w) => w.workload.namespace === ns && selects(peer.pods ?? {}, w.workload.labels));
}

/** Workloads on `n` that a rule protects. */
export function targetWorkloads(model: IntentModel, n: ResolvedNetwork, rule: IngressRule): ResolvedWorkload[] {
  return attachedWorkloads(model, n).filter((w) => selects(rule.pods ?? {}, w.workload.labels));
}
