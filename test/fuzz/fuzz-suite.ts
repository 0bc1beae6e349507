/**
 * Fuzzing the intent reader, the rules, the plan and the diff: the default intent mutated 10,000 times (four parts of
 * 2,500 with fixed seeds, one test file each) (keys deleted, types swapped, random strings and numbers, list items
 * duplicated, bad CIDRs, deep nesting, unknown keys, the AWS-side fields with values AWS or kubelet refuse, broken
 * YAML text, YAML's own scalar spellings, anchors and aliases, duplicate keys, an alias bomb; part 1 also a huge
 * document). Whatever the input, validation returns findings and never throws; a valid mutation
 * plans, renders and diffs; and through the real CLI entry a sample never prints a stack trace, never ends in an
 * internal error, and `synth` of an invalid mutation writes nothing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import type { Io } from '../../bin/cli';
import { main } from '../../bin/main';
import { diffIntents } from '../../lib/diff/diff';
import { renderDiffMarkdown } from '../../lib/diff/markdown';
import { defaultIntentPath } from '../../lib/intent/load';
import { validateText } from '../../lib/intent/validate';
import { buildPlan } from '../../lib/plan/build';
import { renderPlanJson, renderPlanMarkdown } from '../../lib/plan/markdown';
import { rng } from '../util/rng';

/** The suite runs in PARTS test files (intent-fuzz-N.test.ts) of MUTATIONS each, so jest spreads them over workers. */
export const PARTS = 4;
const BASE_SEED = 20240611;
const MUTATIONS = 2500;
/** Every CLI_EVERY-th mutation also goes through `main` (validate, plan, and synth when invalid). */
const CLI_EVERY = 100;
const STACK = /\n\s+at .+[:(]\d+:\d+\)?/;


type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = Array<string | number>;

const DEFAULT_TEXT = fs.readFileSync(defaultIntentPath(), 'utf8');
const DEFAULT = parse(DEFAULT_TEXT) as Json;
const BAD_CIDRS = ['10.0.0.0/33', '300.1.1.0/24', '10.0.0.1/24', '', '::1/128', '10.0.0.0', '10.0.0.0/-1', '10.0.0.0/08', 'a.b.c.d/8', '0.0.0.0/0', '255.255.255.255/32', '10.0.0.0/16/2'];
const STRINGS = ['', ' ', 'x', 'eth0', 'Multus0', 'a'.repeat(300), 'ümlaut', '../../etc/passwd', '${HOME}', '{{x}}', 'null', '0x10', '1e9', '-', 'default/', '/x', 'a@b@c', 'whereaboutsss'];
const NUMBERS = [0, -1, 1, 2, 15, 16, 17, 63, 64, 1000, 1001, 9001, 65536, 2 ** 31, 2 ** 53, -(2 ** 53), 0.5, 1e308];

const INFRA_FIELDS: ReadonlyArray<readonly [Path, readonly Json[]]> = [
  [['spec', 'cluster', 'adminCidr'], ['0.0.0.0/0', '203.0.113.0/24', '0.0.0.0/1', '10.0.0.0/33']],
  [['spec', 'cluster', 'kubernetesVersion'], ['1.30.4', '1.36.5', '1.99.0', '1.36', 1.36]],
  [['spec', 'cluster', 'flavour'], ['eks', 'kubeadm', 'gke']],
  [['spec', 'platform'], ['aws', 'generic', 'azure']],
  [['spec', 'nodeGroups', 1, 'labels'], [{ team: 'a b' }, { 'node-role.kubernetes.io/worker': '' }, { 'a/b/c': 'x' }, { ok: 'yes' }, { k: 1 }]],
  [['spec', 'nodeGroups', 1, 'count'], [0, 1, 40, 1000, 1001, -1, 2.5]],
  [['spec', 'nodeGroups', 1, 'interfaces', 0, 'name'], ['multus-', '..', 'eth1', 'x'.repeat(16), 'a b']],
  [['spec', 'nodeGroups', 1, 'interfaces', 0, 'ipv4PrefixCount'], [0, 1, 16, 17]],
  [['spec', 'nodeGroups', 1, 'interfaces', 0, 'sourceDestCheck'], [false, 'no']],
  [['spec', 'nodeGroups', 1, 'instanceType'], ['t2.micro', 'm6i.large', 'x1e.32xlarge', 'nope']],
  [['spec', 'nodeGroups', 0, 'name'], ['workers', 'workers-1', 'control_plane']],
  [['spec', 'subnets', 0, 'cidr'], ['10.0.128.0/29', '10.0.128.0/16', '10.0.0.0/24', '10.1.0.0/24', '0.0.0.0/0']],
  [['spec', 'subnets', 0, 'podCidrReservation'], ['10.0.128.128/25', '10.0.200.0/25', '10.0.128.0/24']],
  [['spec', 'subnets', 0, 'zone'], ['c', 'a', 'ab']],
  [['spec', 'subnets', 0, 'name'], ['multus-1', 'multus1', 'a-b']],
  [['spec', 'vpc', 'cidr'], ['10.0.0.0/12', '10.0.0.0/25', '10.0.0.0/20']],
  [['spec', 'vpc', 'zones'], [['a'], ['a', 'b', 'c', 'd', 'e', 'f', 'g'], []]],
  [['spec', 'vpc', 'mtu'], [576, 1500, 9002]],
];

function allPaths(v: Json, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => allPaths(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) allPaths(x, [...at, k], out);
  return out;
}

function getAt(root: Json, p: Path): Json {
  return p.reduce<Json>((cur, k) => (cur as Record<string | number, Json>)[k], root);
}

function setAt(root: Json, p: Path, value: Json | undefined): Json {
  if (p.length === 0) return value ?? null;
  const parent = getAt(root, p.slice(0, -1)) as Record<string | number, Json> | Json[];
  const k = p[p.length - 1];
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(k as number, 1);
    else delete (parent as Record<string, Json>)[k as string];
  } else {
    (parent as Record<string | number, Json>)[k] = value;
  }
  return root;
}

function mutateOnce(root: Json, r: () => number): { root: Json; what: string } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const paths = allPaths(root);
  const p = pick(paths.length > 1 ? paths.slice(1) : paths);
  const cur = getAt(root, p);
  const op = pick(['delete', 'swap', 'string', 'number', 'duplicate', 'cidr', 'nest', 'unknown', 'infra', 'infra'] as const);
  const where = p.join('.');
  switch (op) {
    case 'delete': return { root: setAt(root, p, undefined), what: `delete ${where}` };
    case 'swap': {
      const v = pick<Json>([null, true, 0, 'text', [], {}, [cur], { v: cur }]);
      return { root: setAt(root, p, v), what: `swap ${where} -> ${JSON.stringify(v)}` };
    }
    case 'string': { const v = pick(STRINGS); return { root: setAt(root, p, v), what: `string ${where} = ${JSON.stringify(v)}` }; }
    case 'number': { const v = pick(NUMBERS); return { root: setAt(root, p, v), what: `number ${where} = ${v}` }; }
    case 'duplicate': {
      const lists = paths.filter((x) => Array.isArray(getAt(root, x)) && (getAt(root, x) as Json[]).length > 0);
      if (!lists.length) return { root, what: 'noop' };
      const lp = pick(lists);
      const list = getAt(root, lp) as Json[];
      list.push(structuredClone(pick(list)));
      return { root, what: `duplicate an item of ${lp.join('.')}` };
    }
    case 'cidr': {
      const strings = paths.filter((x) => typeof getAt(root, x) === 'string' && /\d+\.\d+\.\d+\.\d+/.test(getAt(root, x) as string));
      if (!strings.length) return { root, what: 'noop' };
      const sp = pick(strings);
      const v = pick(BAD_CIDRS);
      return { root: setAt(root, sp, v), what: `cidr ${sp.join('.')} = ${JSON.stringify(v)}` };
    }
    case 'nest': {
      let v: Json = cur;
      const depth = 20 + Math.floor(r() * 80);
      for (let i = 0; i < depth; i++) v = r() < 0.5 ? [v] : { n: v };
      return { root: setAt(root, p, v), what: `nest ${where} ${depth} deep` };
    }
    case 'infra': {
      // The fields the AWS side reads, with values that once crashed synthesis or that AWS refuses.
      const [fp, values] = pick(INFRA_FIELDS);
      const v = pick(values);
      const at = fp.filter((k) => k !== '*').length === fp.length ? fp : fp.map((k) => (k === '*' ? 0 : k));
      try { getAt(root, at.slice(0, -1)); } catch { return { root, what: 'noop' }; }
      if (getAt(root, at.slice(0, -1)) === undefined || getAt(root, at.slice(0, -1)) === null || typeof getAt(root, at.slice(0, -1)) !== 'object') return { root, what: 'noop' };
      return { root: setAt(root, at, structuredClone(v)), what: `infra ${at.join('.')} = ${JSON.stringify(v)}` };
    }
    case 'unknown': {
      const objects = paths.filter((x) => { const v = getAt(root, x); return !!v && typeof v === 'object' && !Array.isArray(v); });
      const op2 = pick(objects);
      (getAt(root, op2) as Record<string, Json>)[pick(['extra', 'exclude', 'masterr', 'type', 'ipam'])] = pick<Json>(['x', 1, null, []]);
      return { root, what: `unknown key at ${op2.join('.')}` };
    }
  }
}

function textMutation(text: string, r: () => number): { text: string; what: string } {
  const lines = text.split('\n');
  const i = Math.floor(r() * lines.length);
  const scalarLines = lines.map((l, k) => [l, k] as const).filter(([l]) => /^\s+(- )?[A-Za-z_]+: [^&*\s].*$/.test(l)).map(([, k]) => k);
  switch (Math.floor(r() * 9)) {
    case 5: {
      // A wrong scalar type in YAML's own spelling (booleans, nulls, hex, dates, tags).
      if (!scalarLines.length) return { text, what: 'noop' };
      const k = scalarLines[Math.floor(r() * scalarLines.length)];
      const v = ['yes', '~', '0x10', '1e3', '.inf', '2001-01-01', '"8"', '!!str 5', '!!binary aGk=', '[]', '{}', '!!map {}', '&x 1', "'0'"][Math.floor(r() * 14)];
      lines[k] = lines[k].replace(/: .*$/, `: ${v}`);
      return { text: lines.join('\n'), what: `scalar ${v} on line ${k + 1}` };
    }
    case 6: {
      // An anchor on one value and its alias in place of another (same or another type).
      if (scalarLines.length < 2) return { text, what: 'noop' };
      const a = scalarLines[Math.floor(r() * scalarLines.length)];
      const b = scalarLines[Math.floor(r() * scalarLines.length)];
      const [first, second] = a < b ? [a, b] : [b, a];
      if (first === second) return { text, what: 'noop' };
      lines[first] = lines[first].replace(/: /, ': &anchor ');
      lines[second] = lines[second].replace(/: .*$/, ': *anchor');
      return { text: lines.join('\n'), what: `alias of line ${first + 1} on line ${second + 1}` };
    }
    case 7: {
      // A duplicate key inside one mapping.
      if (!scalarLines.length) return { text, what: 'noop' };
      const k = scalarLines[Math.floor(r() * scalarLines.length)];
      lines.splice(k + 1, 0, lines[k].replace(/^(\s*)- /, '$1  '));
      return { text: lines.join('\n'), what: `duplicate key at line ${k + 2}` };
    }
    case 8: {
      // An alias bomb: each level doubles the last (the reader caps aliases).
      const levels = Array.from({ length: 12 }, (_, k) => `  l${k + 1}: &b${k + 1} [*b${k}, *b${k}]`).join('\n');
      return { text: `${text}\nbomb:\n  l0: &b0 [x, x]\n${levels}\n`, what: 'alias bomb' };
    }
    case 0: { const at = Math.floor(r() * text.length); return { text: text.slice(0, at), what: `truncate at ${at}` }; }
    case 1: lines.splice(i, 0, lines[i]); return { text: lines.join('\n'), what: `duplicate line ${i + 1}` };
    case 2: lines[i] = ` ${lines[i]}`; return { text: lines.join('\n'), what: `indent line ${i + 1}` };
    case 3: lines[i] = `${lines[i]}: [{`; return { text: lines.join('\n'), what: `garbage on line ${i + 1}` };
    default: lines[i] = `${lines[i]} &a\n*a: *b`; return { text: lines.join('\n'), what: `bad alias at line ${i + 1}` };
  }
}

interface Case { readonly n: number; readonly text: string; readonly what: string }

function cases(seed: number, offset: number): Case[] {
  const r = rng(seed);
  const out: Case[] = [];
  for (let n = offset; n < offset + MUTATIONS; n++) {
    if (r() < 0.15) {
      const m = textMutation(DEFAULT_TEXT, r);
      out.push({ n, text: m.text, what: m.what });
      continue;
    }
    let root = structuredClone(DEFAULT);
    const whats: string[] = [];
    const count = 1 + Math.floor(r() * 3);
    for (let k = 0; k < count; k++) {
      const m = mutateOnce(root, r);
      root = m.root;
      whats.push(m.what);
    }
    out.push({ n, text: stringify(root, { aliasDuplicateObjects: false }), what: whats.join('; ') });
  }
  return out;
}

const BASE_INTENT = validateText(DEFAULT_TEXT).intent;

const REGRESSIONS = [
  { input: 'spec.vpc.cidr = "255.255.255.255/32"', text: DEFAULT_TEXT.replace(/^( {4}cidr: )10\.0\.0\.0\/16$/m, '$1255.255.255.255/32') },
  { input: 'spec.vpc.cidr = "0.0.0.0/0"', text: DEFAULT_TEXT.replace(/^( {4}cidr: )10\.0\.0\.0\/16$/m, '$10.0.0.0/0') },
];

/** A huge document: the default intent with 3,000 more networks and 3,000 more workloads (bounded: see the test). */
function hugeText(): string {
  const d = structuredClone(DEFAULT) as { spec: { networks: Json[]; workloads: Json[] } };
  const net = d.spec.networks[1] as Record<string, Json>;
  const wl = d.spec.workloads[1] as Record<string, Json>;
  for (let k = 0; k < 3000; k++) {
    d.spec.networks.push({ ...net, name: `n-${k}` });
    d.spec.workloads.push({ ...wl, name: `w-${k}`, networks: [`n-${k}`] });
  }
  return stringify(d);
}

type Outcome = { readonly c: Case; readonly result?: ReturnType<typeof validateText>; readonly crash?: string };

/**
 * One part of the fuzz suite: MUTATIONS mutations from seed BASE_SEED + part (part 0 also runs the pinned
 * regressions and the huge document). Together the PARTS files run PARTS x MUTATIONS = 10,000 mutations.
 */
export function fuzzSuite(part: number): void {
  const SEED = BASE_SEED + part;
  const CASES = cases(SEED, part * MUTATIONS);
  const PINNED: Case[] = part === 0 ? REGRESSIONS.map((k, i) => ({ n: PARTS * MUTATIONS + i, text: k.text, what: k.input })) : [];
  let OUTCOMES: Outcome[] = [];
  const inPart = (n: number) => n >= part * MUTATIONS && n < (part + 1) * MUTATIONS;

describe(`fuzz part ${part + 1}/${PARTS}: ${MUTATIONS} mutations of the default intent (seed ${SEED})`, () => {
  beforeAll(() => {
    // One validation pass shared by the tests below (the costly part: parse, schema, every rule).
    OUTCOMES = [...CASES, ...PINNED].map((c) => {
      try {
        return { c, result: validateText(c.text, 'fuzz.yaml') };
      } catch (e) {
        return { c, crash: (e as Error).message };
      }
    });
  });

  test('the corpus is varied: valid and invalid mutations, structural and rule findings', () => {
    const results = OUTCOMES.filter((o) => inPart(o.c.n)).flatMap((o) => (o.result ? [o.result] : []));
    const valid = results.filter((r) => r.valid).length;
    const ids = new Set(results.flatMap((r) => r.findings.map((f) => f.id)));
    expect(CASES.length).toBe(MUTATIONS);
    expect(valid).toBeGreaterThan(MUTATIONS * 0.05);
    expect(MUTATIONS - valid).toBeGreaterThan(MUTATIONS / 2);
    for (const id of ['multinic:YamlSyntax', 'multinic:Schema', 'multinic:UnknownField', 'multinic:InvalidAddress']) expect(ids).toContain(id);
  });

  test('validation never throws: every problem is a finding with an id, a level and a message', () => {
    const crashes: string[] = [];
    for (const { c, result, crash } of OUTCOMES) {
      if (crash !== undefined) {
        crashes.push(`#${c.n} (${c.what}): ${crash}`);
        continue;
      }
      for (const f of result?.findings ?? []) {
        if (typeof f.id !== 'string' || !f.id.startsWith('multinic:') || !['error', 'warning'].includes(f.level) || !f.message) {
          crashes.push(`#${c.n} (${c.what}): malformed finding ${JSON.stringify(f)}`);
        }
      }
    }
    expect(crashes).toEqual([]);
  });

  if (part === 0) test.each(REGRESSIONS.map((k) => [k.input] as const))('an input that once crashed is now a finding: %s', (input) => {
    const o = OUTCOMES.find((x) => x.c.what === input)!;
    expect(o.crash).toBeUndefined();
    expect(o.result?.findings.map((f) => f.id)).toContain('multinic:VpcSize');
  });

  if (part === 0) {
    test('a huge document (3,000 networks and workloads) is validated in bounded time, without a crash', () => {
      const text = hugeText();
      const start = Date.now();
      const r = validateText(text, 'huge.yaml');
      expect(r.internalErrors).toBe(0);
      expect(r.findings.length).toBeGreaterThan(0);
      expect(Date.now() - start).toBeLessThan(120_000);
    }, 180_000);
  }

  test('a structurally valid mutation always plans, renders and diffs against the default', () => {
    const crashes: string[] = [];
    for (const { c, result: r } of OUTCOMES) {
      if (!r?.intent) continue;
      try {
        const plan = buildPlan(r.intent, { model: r.model, findings: r.findings });
        renderPlanMarkdown(plan);
        renderPlanJson(plan);
        renderDiffMarkdown(diffIntents(BASE_INTENT, r.intent));
      } catch (e) {
        crashes.push(`#${c.n} (${c.what}): ${(e as Error).message}`);
      }
    }
    expect(crashes).toEqual([]);
  });

  test(`through the CLI (every ${CLI_EVERY}th): no stack trace, no internal error; synth of an invalid intent writes nothing`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-fuzz-'));
    const problems: string[] = [];
    try {
      for (const { c, result } of OUTCOMES.filter((o) => o.c.n % CLI_EVERY === 0 && o.result)) {
        const file = path.join(dir, `m${c.n}.yaml`);
        fs.writeFileSync(file, c.text);
        const valid = result?.valid ?? false;
        const commands = [['validate', '-i', file], ['plan', '-i', file], ...(valid ? [] : [['synth', '-i', file, '-o', path.join(dir, `out${c.n}`)]])];
        for (const argv of commands) {
          let text = '';
          const io: Io = { out: (t) => { text += t; }, err: (t) => { text += t; } };
          const code = await main(argv, io);
          if (STACK.test(text)) problems.push(`#${c.n} ${argv[0]} (${c.what}): stack trace`);
          if (code !== (valid ? 0 : 1)) problems.push(`#${c.n} ${argv[0]} (${c.what}): exit ${code}, expected ${valid ? 0 : 1}: ${text.slice(0, 300)}`);
        }
        if (!valid && fs.existsSync(path.join(dir, `out${c.n}`))) problems.push(`#${c.n} synth (${c.what}): wrote an output directory`);
      }
      expect(fs.readdirSync(dir).filter((f) => !f.endsWith('.yaml'))).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(problems).toEqual([]);
  });
});
}
