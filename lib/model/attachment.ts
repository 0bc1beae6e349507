/**
 * Multus' attachment syntax in `k8s.v1.cni.cncf.io/networks`: `[namespace/]name[@ifname]`. An unqualified name
 * resolves to the POD's namespace, not `default` (the seed's NoNetworkFound failure).
 */
import { DNS1123_LABEL } from '../intent/schema';

export interface Attachment {
  readonly namespace: string;
  readonly name: string;
  /** Interface name in the pod, when given with `@ifname`. */
  readonly ifname?: string;
  /** `namespace/name`: the key networks are looked up by. */
  readonly key: string;
}

/** Parses one attachment; returns why it is malformed instead of throwing. */
export function parseAttachment(text: string, podNamespace: string): Attachment | string {
  const m = /^(?:([^/@]+)\/)?([^/@]+)(?:@([^/@]+))?$/.exec(text);
  if (!m) return `"${text}" is not an attachment; write [namespace/]name[@ifname], e.g. dcjeon/whereabouts-eth1-conf@net1`;
  const [, ns, name, ifname] = m;
  const namespace = ns ?? podNamespace;
  for (const [what, v] of [['namespace', namespace], ['network name', name]] as const) {
    if (!DNS1123_LABEL.test(v) || v.length > 63) return `"${text}": ${what} "${v}" is not a DNS-1123 label`;
  }
  return { namespace, name, ifname, key: `${namespace}/${name}` };
}

/** Multus' default name for the attachment at `position` (0-based) when no `@ifname` is given. */
export function defaultIfname(position: number): string {
  return `net${position + 1}`;
}
