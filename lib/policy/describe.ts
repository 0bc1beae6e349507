/** One-line texts of policy rules and peers, shared by the plan, the diff, findings and resource descriptions. */
import type { IngressRule, PolicyPeer, PolicyPort } from '../intent/types';
import type { ResolvedNetwork } from '../model/model';
import { peerNamespace } from './peers';

/** `app=web,tier=front`, or `*` for an empty selector. */
export function selectorText(selector: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(selector).map(([k, v]) => `${k}=${v}`);
  return pairs.length ? pairs.join(',') : '*';
}

/** `pods app=web in redhet-demo`, `10.0.0.0/8 except 10.1.0.0/16`. */
export function peerText(peer: PolicyPeer, n: ResolvedNetwork): string {
  if (peer.pods !== undefined) return `pods ${selectorText(peer.pods)} in ${peerNamespace(peer, n)}`;
  return `${peer.cidr}${peer.except?.length ? ` except ${peer.except.join(', ')}` : ''}`;
}

/** `TCP 80`, `UDP 9000-9010`, `TCP (every port)`. */
export function portText(p: PolicyPort): string {
  if (p.port === undefined) return `${p.protocol} (every port)`;
  return `${p.protocol} ${p.port}${p.endPort !== undefined && p.endPort !== p.port ? `-${p.endPort}` : ''}`;
}

/** What a rule admits: `to app=web from pods app=client in demo on TCP 80, ICMP`. */
export function ruleText(rule: IngressRule, n: ResolvedNetwork): string {
  const what = [...rule.ports.map(portText), ...(rule.icmp ? ['ICMP'] : [])];
  return `to ${rule.pods === undefined ? 'every pod' : `pods ${selectorText(rule.pods)}`} from ${rule.from.map((p) => peerText(p, n)).join('; ')} on ${what.length ? what.join(', ') : 'nothing'}`;
}
