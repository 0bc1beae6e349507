import * as fs from 'node:fs';
import * as path from 'node:path';
import { MultinicError } from '../../lib/errors';
import { deriveArchitectures, deriveEna } from '../../lib/aws/derive';
import { buildSnapshot, parseVpcCniLimits, RECORDED_DATE, RECORDED_SOURCE, renderGenerated } from '../../lib/aws/snapshot-source';

const root = path.resolve(__dirname, '../..');
const read = (p: string): string => fs.readFileSync(path.join(root, p), 'utf8');

describe('parseVpcCniLimits', () => {
  test('reads one row per type with every card', () => {
    // GIVEN a two-row source, one multi-card
    const text = '# comment\nm6i.large\t3\t10\t0\t0:3\tnitro\tfalse\nc6in.32xlarge\t8\t50\t0\t0:8,1:8\tnitro\tfalse\n';
    // WHEN parsed
    const rows = parseVpcCniLimits(text);
    // THEN the cards are kept per index
    expect(rows).toEqual([
      { name: 'm6i.large', eniLimit: 3, ipv4Limit: 10, defaultNetworkCardIndex: 0, cards: [{ index: 0, maxEnis: 3 }], hypervisor: 'nitro', bareMetal: false },
      { name: 'c6in.32xlarge', eniLimit: 8, ipv4Limit: 50, defaultNetworkCardIndex: 0, cards: [{ index: 0, maxEnis: 8 }, { index: 1, maxEnis: 8 }], hypervisor: 'nitro', bareMetal: false },
    ]);
  });

  test.each([
    ['m6i.large\t3\t10\t0\t0:3\tnitro', 'vpc-cni-limits.tsv line 1: expected 7 tab-separated columns, found 6'],
    ['m6i.large\tthree\t10\t0\t0:3\tnitro\tfalse', 'vpc-cni-limits.tsv line 1: ENI limit "three" is not a whole number'],
    ['m6i.large\t3\t10\t0\t0:3\tkvm\tfalse', 'vpc-cni-limits.tsv line 1: hypervisor "kvm" is not nitro, xen or unknown'],
  ])('rejects %j with a message naming the line', (line, message) => {
    // GIVEN a malformed row WHEN parsed THEN a SNAPSHOT_SOURCE error names line and value
    expect(() => parseVpcCniLimits(line)).toThrow(new MultinicError('SNAPSHOT_SOURCE', message));
  });
});

describe('derived fields', () => {
  test.each([
    ['m6i.large', 'nitro', false, 'required'],
    ['c5.metal', 'unknown', true, 'required'],
    ['t2.micro', 'xen', false, 'unsupported'],
    ['c4.large', 'xen', false, 'unsupported'],
    ['m4.large', 'xen', false, 'unsupported'],
    ['m4.16xlarge', 'xen', false, 'supported'],
    ['i3.large', 'xen', false, 'supported'],
    ['cr1.8xlarge', 'unknown', false, 'unsupported'],
  ] as const)('ENA of %s (%s, metal=%s) is %s', (name, hyp, metal, ena) => {
    expect(deriveEna(name, hyp, metal)).toBe(ena);
  });

  test.each([
    ['c7gn.16xlarge', 'arm64'], ['a1.large', 'arm64'], ['is4gen.large', 'arm64'], ['im4gn.large', 'arm64'],
    ['g5g.xlarge', 'arm64'], ['g4ad.xlarge', 'x86_64'], ['m6i.large', 'x86_64'], ['u7i-12tb.224xlarge', 'x86_64'],
    ['mac1.metal', 'x86_64_mac'], ['mac2-m2pro.metal', 'arm64_mac'], ['c7i-flex.large', 'x86_64'],
  ])('architecture of %s is %s', (name, arch) => {
    expect(deriveArchitectures(name)).toEqual([arch]);
  });
});

describe('generated snapshot', () => {
  const limits = read('lib/aws/source/vpc-cni-limits.tsv');
  const efa = read('lib/aws/source/eksctl-efa.txt');

  test('the committed file is exactly what the recorded sources produce', () => {
    // GIVEN the recorded sources WHEN rendered THEN the committed module matches byte for byte
    const text = renderGenerated(buildSnapshot(limits, efa), { source: RECORDED_SOURCE, date: RECORDED_DATE }, 'scripts/generate-instance-types.js');
    expect(read('lib/aws/instance-types.generated.ts')).toBe(text);
  });

  test('rendering does not depend on input order', () => {
    // GIVEN the rows reversed
    const lines = limits.split('\n');
    const reversed = [...lines.filter((l) => l.startsWith('#')), ...lines.filter((l) => l && !l.startsWith('#')).reverse()].join('\n');
    // WHEN both are rendered THEN the output is identical
    const meta = { source: 's', date: 'd' };
    expect(renderGenerated(buildSnapshot(reversed, efa), meta, 'g')).toBe(renderGenerated(buildSnapshot(limits, efa), meta, 'g'));
  });

  test('duplicate type names are refused', () => {
    const row = 'm6i.large\t3\t10\t0\t0:3\tnitro\tfalse';
    expect(() => buildSnapshot(`${row}\n${row}`, '')).toThrow('instance type "m6i.large" appears twice');
  });

  test('records carry the facts of the fact sheet (aws.md section 4.2)', () => {
    // GIVEN the snapshot WHEN a few documented types are looked up THEN ENIs, IPv4/ENI, cards and EFA match
    const byName = new Map(buildSnapshot(limits, efa).map((t) => [t.name, t]));
    const pick = (n: string) => { const t = byName.get(n)!; return [t.maxEnisDefaultCard, t.ipv4PerEni, t.enisPerCard.length, t.efa]; };
    expect(pick('t3.medium')).toEqual([3, 6, 1, false]);
    expect(pick('m5.xlarge')).toEqual([4, 15, 1, false]);
    expect(pick('c5n.9xlarge')).toEqual([8, 30, 1, true]);
    expect(pick('c5n.18xlarge')).toEqual([15, 50, 1, true]);
    expect(pick('c6in.32xlarge')).toEqual([8, 50, 2, true]);
    expect(pick('c7gn.large')).toEqual([3, 10, 1, false]);
    expect(pick('c7gn.16xlarge')).toEqual([15, 50, 1, true]);
    expect(pick('p5.48xlarge')).toEqual([2, 50, 32, true]);
    expect(byName.get('p5.48xlarge')!.maxEnis).toBe(64);
  });
});
