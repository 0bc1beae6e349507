/**
 * The plan as a Mermaid flowchart that GitHub renders in Markdown:
 * VPC -> subnets -> node groups -> interfaces -> networks -> workloads.
 *
 * Node ids are generated (`sub0`, `grp1`, `if1x2`, ...) so no intent name can break the syntax; every label is quoted
 * and escaped with Mermaid entity codes. Large plans are summarised (networks and workloads counted per interface)
 * because GitHub refuses diagrams past a size limit.
 */
import type { Plan, PlanNetwork } from './types';

/** Above this many networks + attached workloads the diagram counts them per interface instead of drawing each. */
export const DIAGRAM_DETAIL_LIMIT = 60;

/** Escapes text for a quoted Mermaid label (entity codes for characters the parser treats specially). */
export function mermaidText(text: string): string {
  return text.replace(/[#"<>&`]/g, (c) => `#${c.charCodeAt(0)};`);
}

/** A quoted label from lines of text. */
function label(...lines: string[]): string {
  return `"${lines.map(mermaidText).join('<br/>')}"`;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** Renders the plan's diagram (without the surrounding code fence). */
export function renderMermaid(plan: Plan): string {
  const lines: string[] = ['flowchart LR'];
  const node = (id: string, text: string, shape: 'box' | 'round' | 'stadium' = 'box') => {
    const [open, close] = shape === 'round' ? ['(', ')'] : shape === 'stadium' ? ['([', '])'] : ['[', ']'];
    lines.push(`  ${id}${open}${text}${close}`);
  };
  const edge = (from: string, to: string, dotted = false) => lines.push(`  ${from} ${dotted ? '-.->' : '-->'} ${to}`);

  node('vpc', label(`VPC ${plan.vpc.cidr}`, `zones ${plan.vpc.zones.join(', ')}`));
  const subnetId = new Map<string, string>();
  plan.subnets.forEach((s, i) => {
    const id = `sub${i}`;
    subnetId.set(s.name, id);
    node(id, label(`subnet ${s.name}`, `${s.cidr} zone ${s.zone}`));
    edge('vpc', id);
  });

  const workloadsAttached = plan.workloads.filter((w) => w.attachments.some((a) => a.network !== undefined));
  const detailed = plan.networks.length + workloadsAttached.length <= DIAGRAM_DETAIL_LIMIT;
  const networkId = new Map<string, string>();
  if (detailed) {
    plan.networks.forEach((n, i) => {
      const id = `net${i}`;
      networkId.set(n.key, id);
      node(id, label(`network ${n.key}`, `${n.plugin}${n.mode ? ` ${n.mode}` : ''}, ${n.ipam.type}`), 'round');
    });
  }

  const byMaster = new Map<string, PlanNetwork[]>();
  for (const n of plan.networks) {
    const k = n.master ?? '';
    byMaster.set(k, [...(byMaster.get(k) ?? []), n]);
  }

  plan.nodeGroups.forEach((g, gi) => {
    const gid = `grp${gi}`;
    node(gid, label(`${g.role} group ${g.name}`, `${g.count} x ${g.instanceType}`));
    for (const subnet of new Set(g.enis.flatMap((e) => e.subnet.split(',')))) {
      const sid = subnetId.get(subnet);
      if (sid) edge(sid, gid);
    }
    for (const e of g.enis.slice(1)) {
      const iid = `if${gi}x${e.deviceIndex}`;
      node(iid, label(`${g.name}: ${e.name}`, `device ${e.deviceIndex} in ${e.subnet}`), 'stadium');
      edge(gid, iid);
      const carried = (byMaster.get(e.name) ?? []).filter((n) => n.nodeGroups.includes(g.name));
      if (detailed) {
        for (const n of carried) edge(iid, networkId.get(n.key) as string);
      } else if (carried.length > 0) {
        const sid = `${iid}n`;
        const pods = carried.reduce((sum, n) => sum + n.pods, 0);
        node(sid, label(plural(carried.length, 'network'), `${plural(pods, 'pod')} attached`), 'round');
        edge(iid, sid);
      }
    }
    if (detailed && g.role === 'worker') {
      for (const n of byMaster.get('') ?? []) edge(gid, networkId.get(n.key) as string, true);
    }
  });

  if (detailed) {
    workloadsAttached.forEach((w, wi) => {
      const id = `wl${wi}`;
      node(id, label(`${w.kind} ${w.key}`, plural(w.pods, 'pod')));
      for (const key of new Set(w.attachments.flatMap((a) => (a.network ? [a.network] : [])))) edge(networkId.get(key) as string, id);
    });
  }
  return lines.join('\n');
}
