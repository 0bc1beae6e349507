/** The diff as Markdown (for the terminal and the pull-request comment) and as JSON. */
import { table } from '../plan/markdown';
import { type Change, type IntentDiff, type Subject, SUBJECTS } from './types';

/** Section titles per subject. */
export const SUBJECT_TITLES: Readonly<Record<Subject, string>> = {
  cluster: 'Cluster and VPC',
  subnet: 'Subnets',
  nodeGroup: 'Node groups',
  eni: 'ENIs',
  network: 'Networks',
  policy: 'Network policy (who may reach a network\'s pods)',
  workload: 'Workloads',
  service: 'Services',
  configMap: 'ConfigMaps',
  capacity: 'Capacity',
};

/** What one change of each subject is called in the summary line. */
const NOUNS: Readonly<Record<Subject, string>> = {
  cluster: 'cluster setting', subnet: 'subnet', nodeGroup: 'node group', eni: 'ENI', network: 'network', policy: 'policy', workload: 'workload', service: 'Service', configMap: 'ConfigMap', capacity: 'capacity',
};

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** One line: `3 changes: 1 network added, 1 ENI changed, ...` or that there is none. */
export function diffSummary(diff: IntentDiff): string {
  if (diff.changes.length === 0) return `No semantic changes between ${diff.base} and ${diff.head}.`;
  const counts = new Map<string, number>();
  for (const c of diff.changes) {
    const k = `${c.subject} ${c.kind}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const parts = [...counts].map(([k, n]) => {
    const [subject, kind] = k.split(' ') as [Subject, string];
    return `${plural(n, NOUNS[subject], subject === 'capacity' ? 'capacities' : `${NOUNS[subject]}s`)} ${kind}`;
  });
  return `${plural(diff.changes.length, 'change')} from ${diff.base} to ${diff.head}: ${parts.join(', ')}.`;
}

/** Renders the diff; `heading` is the Markdown heading level of its title. */
export function renderDiffMarkdown(diff: IntentDiff, heading = '#'): string {
  const out: string[] = [`${heading} Network intent changes`, diffSummary(diff)];
  if (diff.replacements.length) {
    out.push(`${heading}# Replaced AWS resources`, diff.replacements.map((r) => `- **${r}**`).join('\n'));
  }
  for (const subject of SUBJECTS) {
    const changes = diff.changes.filter((c) => c.subject === subject);
    if (!changes.length) continue;
    out.push(`${heading}# ${SUBJECT_TITLES[subject]}`, table(['Change', subject === 'capacity' ? 'Of' : 'Name', 'What', 'Effect'], changes.map((c: Change) => [
      c.kind, c.key, c.details.join('; '), c.replaces.length ? `${c.effect} Replaces ${c.replaces.join(', ')}.` : c.effect,
    ])));
  }
  return `${out.join('\n\n')}\n`;
}

/** The diff as JSON, two-space indented. */
export function renderDiffJson(diff: IntentDiff): string {
  return `${JSON.stringify(diff, null, 2)}\n`;
}
