/**
 * Turns the recorded sources under `lib/aws/source/` into catalogue records, and renders records as the
 * `instance-types.generated.ts` module. Pure and deterministic: the same input gives byte-identical output,
 * so `scripts/generate-instance-types.js` and `multinic instance-types refresh` cannot drift apart.
 */
import { MultinicError } from '../errors';
import { deriveArchitectures, deriveEna } from './derive';
import type { CatalogueMeta, Hypervisor, InstanceTypeInfo } from './instance-type-info';

/** One row of `vpc-cni-limits.tsv`. */
export interface VpcCniLimitRow {
  readonly name: string;
  readonly eniLimit: number;
  readonly ipv4Limit: number;
  readonly defaultNetworkCardIndex: number;
  readonly cards: ReadonlyArray<{ readonly index: number; readonly maxEnis: number }>;
  readonly hypervisor: Hypervisor;
  readonly bareMetal: boolean;
}

function dataLines(text: string): Array<{ line: string; no: number }> {
  return text.split('\n').map((line, i) => ({ line: line.replace(/\r$/, ''), no: i + 1 }))
    .filter(({ line }) => line.trim() !== '' && !line.startsWith('#'));
}

function int(value: string, what: string, no: number): number {
  if (!/^\d+$/.test(value)) throw new MultinicError('SNAPSHOT_SOURCE', `vpc-cni-limits.tsv line ${no}: ${what} "${value}" is not a whole number`);
  return Number(value);
}

/** Parses `vpc-cni-limits.tsv` (comment lines start with `#`). */
export function parseVpcCniLimits(text: string): VpcCniLimitRow[] {
  return dataLines(text).map(({ line, no }) => {
    const cols = line.split('\t');
    if (cols.length !== 7) throw new MultinicError('SNAPSHOT_SOURCE', `vpc-cni-limits.tsv line ${no}: expected 7 tab-separated columns, found ${cols.length}`);
    const [name, eni, ipv4, def, cards, hyp, bm] = cols;
    if (hyp !== 'nitro' && hyp !== 'xen' && hyp !== 'unknown') throw new MultinicError('SNAPSHOT_SOURCE', `vpc-cni-limits.tsv line ${no}: hypervisor "${hyp}" is not nitro, xen or unknown`);
    if (bm !== 'true' && bm !== 'false') throw new MultinicError('SNAPSHOT_SOURCE', `vpc-cni-limits.tsv line ${no}: bare metal "${bm}" is not true or false`);
    return {
      name,
      eniLimit: int(eni, 'ENI limit', no),
      ipv4Limit: int(ipv4, 'IPv4 limit', no),
      defaultNetworkCardIndex: int(def, 'default card index', no),
      cards: cards.split(',').map((c) => {
        const [i, m] = c.split(':');
        return { index: int(i ?? '', 'card index', no), maxEnis: int(m ?? '', 'card ENI limit', no) };
      }),
      hypervisor: hyp,
      bareMetal: bm === 'true',
    };
  });
}

/** Parses the EFA list: one type name per line, `#` comments. */
export function parseNameList(text: string): Set<string> {
  return new Set(dataLines(text).map(({ line }) => line.trim()));
}

/** Catalogue record of one VPC CNI row, with the derived fields (ENA, architecture) and EFA from `efaTypes`. */
export function fromVpcCniRow(row: VpcCniLimitRow, efaTypes: ReadonlySet<string>): InstanceTypeInfo {
  const enisPerCard: number[] = [];
  for (const c of row.cards) enisPerCard[c.index] = c.maxEnis;
  return {
    name: row.name,
    hypervisor: row.hypervisor,
    bareMetal: row.bareMetal,
    nitro: row.hypervisor === 'nitro' || row.bareMetal,
    defaultNetworkCardIndex: row.defaultNetworkCardIndex,
    enisPerCard: Array.from(enisPerCard, (n) => n ?? 0),
    maxEnisDefaultCard: row.eniLimit,
    maxEnis: row.cards.reduce((sum, c) => sum + c.maxEnis, 0),
    ipv4PerEni: row.ipv4Limit,
    ena: deriveEna(row.name, row.hypervisor, row.bareMetal),
    efa: efaTypes.has(row.name),
    architectures: deriveArchitectures(row.name),
    networkPerformance: null,
  };
}

/** Builds the sorted catalogue from the two recorded sources. */
export function buildSnapshot(limitsTsv: string, efaList: string): InstanceTypeInfo[] {
  const efa = parseNameList(efaList);
  return sortCatalogue(parseVpcCniLimits(limitsTsv).map((r) => fromVpcCniRow(r, efa)));
}

/** Sorts by name (code-point order) and rejects duplicates, so output never depends on input order. */
export function sortCatalogue(records: readonly InstanceTypeInfo[]): InstanceTypeInfo[] {
  const sorted = [...records].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].name === sorted[i - 1].name) throw new MultinicError('SNAPSHOT_SOURCE', `instance type "${sorted[i].name}" appears twice`);
  }
  return sorted;
}

const q = (s: string): string => JSON.stringify(s);

function renderRecord(t: InstanceTypeInfo): string {
  // Fixed key order: the rendering is part of the deterministic contract.
  return `  { name: ${q(t.name)}, hypervisor: ${q(t.hypervisor)}, bareMetal: ${t.bareMetal}, nitro: ${t.nitro}, `
    + `defaultNetworkCardIndex: ${t.defaultNetworkCardIndex}, enisPerCard: [${t.enisPerCard.join(', ')}], `
    + `maxEnisDefaultCard: ${t.maxEnisDefaultCard}, maxEnis: ${t.maxEnis}, ipv4PerEni: ${t.ipv4PerEni}, `
    + `ena: ${q(t.ena)}, efa: ${t.efa}, architectures: [${t.architectures.map(q).join(', ')}], `
    + `networkPerformance: ${t.networkPerformance === null ? 'null' : q(t.networkPerformance)} },`;
}

/** Renders the generated module. `meta.count` is recomputed from `records`. */
export function renderGenerated(records: readonly InstanceTypeInfo[], meta: Omit<CatalogueMeta, 'count'>, generator: string): string {
  const sorted = sortCatalogue(records);
  return [
    `// Code generated by ${generator}; DO NOT EDIT.`,
    `// Source: ${meta.source}`,
    `// Date: ${meta.date}`,
    '// Which fields are recorded and which are derived: docs/instance-types.md.',
    "import type { CatalogueMeta, InstanceTypeInfo } from './instance-type-info';",
    '',
    `export const SNAPSHOT_META: CatalogueMeta = { source: ${q(meta.source)}, date: ${q(meta.date)}, count: ${sorted.length} };`,
    '',
    'export const INSTANCE_TYPES: readonly InstanceTypeInfo[] = [',
    ...sorted.map(renderRecord),
    '];',
    '',
  ].join('\n');
}

/** The recorded-source description written into the snapshot header. */
export const RECORDED_SOURCE = 'aws/amazon-vpc-cni-k8s pkg/vpc/vpc_ip_resource_limit.go @ 01c4ad5afb0c317b637ed69c472969a5735fa1b9 '
  + '(lib/aws/source/vpc-cni-limits.tsv); EFA: eksctl-io/eksctl pkg/utils/instance/instance_types.go @ 0027506e8f395e6e9216270328aee228ba8eae07 '
  + '(lib/aws/source/eksctl-efa.txt)';
export const RECORDED_DATE = '2026-11-29';
