/**
 * Fuzzing the intent reader, the rules, the plan and the diff: the default intent mutated 1,000 times with a fixed
 * seed (keys deleted, types swapped, random strings and numbers, list items duplicated, bad CIDRs, deep nesting,
 * unknown keys, broken YAML text). Whatever the input, validation returns findings and never throws; a valid mutation
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

const SEED = 20240611;
const MUTATIONS = 1000;
/** Every CLI_EVERY-th mutation also goes through `main` (validate, plan, and synth when invalid). */
const CLI_EVERY = 40;
const STACK = /\n\s+at .+[:(]\d+:\d+\)?/;

/** mulberry32: small, fast, and the same sequence on every machine. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = Array<string | number>;

const DEFAULT_TEXT = fs.readFileSync(defaultIntentPath(), 'utf8');
const DEFAULT = parse(DEFAULT_TEXT) as Json;
const BAD_CIDRS = ['10.0.0.0/33', '300.1.1.0/24', '10.0.0.1/24', '', '::1/128', '10.0.0.0', '10.0.0.0/-1', '10.0.0.0/08', 'a.b.c.d/8', '0.0.0.0/0', '255.255.255.255/32', '10.0.0.0/16/2'];
const STRINGS = ['', ' ', 'x', 'eth0', 'Multus0', 'a'.repeat(300), 'ümlaut', '../../etc/passwd', '${HOME}', '{{x}}', 'null', '0x10', '1e9', '-', 'default/', '/x', 'a@b@c', 'whereaboutsss'];
const NUMBERS = [0, -1, 1, 2, 15, 16, 17, 63, 64, 1000, 1001, 9001, 65536, 2 ** 31, 2 ** 53, -(2 ** 53), 0.5, 1e308];

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
  const op = pick(['delete', 'swap', 'string', 'number', 'duplicate', 'cidr', 'nest', 'unknown'] as const);
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
  switch (Math.floor(r() * 5)) {
    case 0: { const at = Math.floor(r() * text.length); return { text: text.slice(0, at), what: `truncate at ${at}` }; }
    case 1: lines.splice(i, 0, lines[i]); return { text: lines.join('\n'), what: `duplicate line ${i + 1}` };
    case 2: lines[i] = ` ${lines[i]}`; return { text: lines.join('\n'), what: `indent line ${i + 1}` };
    case 3: lines[i] = `${lines[i]}: [{`; return { text: lines.join('\n'), what: `garbage on line ${i + 1}` };
    default: lines[i] = `${lines[i]} &a\n*a: *b`; return { text: lines.join('\n'), what: `bad alias at line ${i + 1}` };
  }
}

interface Case { readonly n: number; readonly text: string; readonly what: string }

function cases(): Case[] {
  const r = rng(SEED);
  const out: Case[] = [];
  for (let n = 0; n < MUTATIONS; n++) {
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

const CASES = cases();
const BASE_INTENT = validateText(DEFAULT_TEXT).intent;

/**
 * Inputs that once crashed validation, pinned so they are tried whatever the random sequence does. (A /32 VPC at the
 * top of the address space made the subnet-placement rule compute a "second half" at 2^32; multinic:VpcSize now
 * reports such VPCs and the layout code never sees them.)
 */
const REGRESSIONS = [
  { input: 'spec.vpc.cidr = "255.255.255.255/32"', text: DEFAULT_TEXT.replace(/^( {4}cidr: )10\.0\.0\.0\/16$/m, '$1255.255.255.255/32') },
  { input: 'spec.vpc.cidr = "0.0.0.0/0"', text: DEFAULT_TEXT.replace(/^( {4}cidr: )10\.0\.0\.0\/16$/m, '$10.0.0.0/0') },
];
const PINNED: Case[] = REGRESSIONS.map((k, i) => ({ n: MUTATIONS + i, text: k.text, what: k.input }));

type Outcome = { readonly c: Case; readonly result?: ReturnType<typeof validateText>; readonly crash?: string };
let OUTCOMES: Outcome[] = [];

describe(`fuzz: ${MUTATIONS} mutations of the default intent (seed ${SEED})`, () => {
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
    const results = OUTCOMES.filter((o) => o.c.n < MUTATIONS).flatMap((o) => (o.result ? [o.result] : []));
    const valid = results.filter((r) => r.valid).length;
    const ids = new Set(results.flatMap((r) => r.findings.map((f) => f.id)));
    expect(CASES.length).toBe(MUTATIONS);
    expect(valid).toBeGreaterThan(50);
    expect(MUTATIONS - valid).toBeGreaterThan(500);
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

  test.each(REGRESSIONS.map((k) => [k.input] as const))('an input that once crashed is now a finding: %s', (input) => {
    const o = OUTCOMES.find((x) => x.c.what === input)!;
    expect(o.crash).toBeUndefined();
    expect(o.result?.findings.map((f) => f.id)).toContain('multinic:VpcSize');
  });

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
