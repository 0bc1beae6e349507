/**
 * The node labels of a node group, as every node of it registers them: on AWS through kubeadm's `node-labels`, in
 * the local cluster through the kubelet's `--node-labels`. One function, so both label alike.
 */
import { MultinicError } from '../errors';
import type { NetworkIntent, NodeGroup } from '../intent/types';
import { INTERFACE_LABEL_VALUE, interfaceLabel } from '../model/labels';
import { TAGS } from '../model/tags';

const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_PREFIX = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** `key=value` node labels of a group: its node group, one per secondary interface, then the intent's own labels. */
export function nodeLabels(intent: NetworkIntent, group: NodeGroup): string[] {
  const gi = intent.spec.nodeGroups.indexOf(group);
  const labels: Array<[string, string]> = [
    [TAGS.nodeGroup, group.name],
    ...group.interfaces.map((itf): [string, string] => [interfaceLabel(itf.name), INTERFACE_LABEL_VALUE]),
    ...Object.entries(group.labels),
  ];
  return labels.map(([k, v]) => {
    const [prefix, name] = k.includes('/') ? k.split('/', 2) : [undefined, k];
    if ((prefix !== undefined && !LABEL_PREFIX.test(prefix)) || !LABEL_NAME.test(name ?? '') || (v !== '' && !LABEL_NAME.test(v))) {
      throw new MultinicError('BAD_NODE_LABEL', `spec.nodeGroups[${gi}] (${group.name}): node label ${k}=${v} is not a valid Kubernetes label ([prefix/]name, each part letters, digits, "-", "_", "."; at most 63 characters); rename it.`);
    }
    return `${k}=${v}`;
  });
}

