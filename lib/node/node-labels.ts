/**
 * The node labels of a node group, as every node of it registers them: on AWS through kubeadm's `node-labels`, in
 * the local cluster through the kubelet's `--node-labels`. One function, so both label alike; the labels are
 * `lib/model/node-labels.ts`'s, and multinic:NodeLabel rejects an intent with one kubelet would refuse.
 */
import type { NetworkIntent, NodeGroup } from '../intent/types';
import { nodeLabelArgs } from '../model/node-labels';

/** `key=value` node labels of a group: its node group, one per secondary interface, then the intent's own labels. */
export function nodeLabels(_intent: NetworkIntent, group: NodeGroup): string[] {
  return nodeLabelArgs(group);
}
