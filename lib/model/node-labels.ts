/**
 * The Kubernetes labels a node of a group registers with (kubelet `--node-labels`): its node group, one per
 * secondary interface, then the intent's own labels. One definition for the rule that checks them
 * (`multinic:NodeLabel`) and the stack that writes them into user data.
 */
import type { NodeGroup } from '../intent/types';
import type { IntentPath } from '../findings';
import { INTERFACE_LABEL_VALUE, interfaceLabel } from './labels';
import { TAGS } from './tags';

/** One node label with the intent field it comes from. */
export interface NodeLabel {
  readonly key: string;
  readonly value: string;
  /** Path of the field that produced it, relative to the node group (`['labels', key]`, `['interfaces', 0, 'name']`, `['name']`). */
  readonly from: IntentPath;
}

const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_PREFIX = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
/** Keys kubelet accepts with `--node-labels` in the kubernetes.io and k8s.io namespaces (kubelet reference, --node-labels). */
const KUBELET_ALLOWED_KEYS = new Set([
  'beta.kubernetes.io/arch', 'beta.kubernetes.io/instance-type', 'beta.kubernetes.io/os', 'failure-domain.beta.kubernetes.io/region',
  'failure-domain.beta.kubernetes.io/zone', 'kubernetes.io/arch', 'kubernetes.io/hostname', 'kubernetes.io/os',
  'node.kubernetes.io/instance-type', 'topology.kubernetes.io/region', 'topology.kubernetes.io/zone',
]);
const KUBELET_ALLOWED_PREFIXES = ['kubelet.kubernetes.io', 'node.kubernetes.io'];

/** The labels of a node of `group`, in the order kubelet gets them. */
export function nodeLabelList(group: NodeGroup): NodeLabel[] {
  return [
    { key: TAGS.nodeGroup, value: group.name, from: ['name'] },
    ...group.interfaces.map((itf, i): NodeLabel => ({ key: interfaceLabel(itf.name), value: INTERFACE_LABEL_VALUE, from: ['interfaces', i, 'name'] })),
    ...Object.entries(group.labels).map(([key, value]): NodeLabel => ({ key, value, from: ['labels', key] })),
  ];
}

/** `key=value` strings of `nodeLabelList`, as `--node-labels` takes them. */
export function nodeLabelArgs(group: NodeGroup): string[] {
  return nodeLabelList(group).map((l) => `${l.key}=${l.value}`);
}

/** Why kubelet would refuse `key=value` as a node label, or undefined when it takes it. */
export function nodeLabelProblem(key: string, value: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && !LABEL_PREFIX.test(prefix)) return `the key prefix "${prefix}" is not a DNS subdomain (lower case letters, digits, "-", ".")`;
  if (!LABEL_NAME.test(name)) return `the key name "${name}" is not a label name (at most 63 letters, digits, "-", "_", ".", starting and ending with a letter or digit)`;
  if (value !== '' && !LABEL_NAME.test(value)) return `the value "${value}" is not a label value (at most 63 letters, digits, "-", "_", ".", starting and ending with a letter or digit)`;
  if (prefix !== undefined && /(^|\.)(kubernetes\.io|k8s\.io)$/.test(prefix) && !KUBELET_ALLOWED_KEYS.has(key)
    && !KUBELET_ALLOWED_PREFIXES.some((p) => prefix === p || prefix.endsWith(`.${p}`))) {
    return `kubelet refuses node labels in the ${prefix} namespace other than ${KUBELET_ALLOWED_PREFIXES.map((p) => `${p}/*`).join(', ')} and a fixed set (kubernetes.io/os, topology.kubernetes.io/zone, ...)`;
  }
  return undefined;
}
