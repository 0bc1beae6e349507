/**
 * Reading an intent: YAML text -> parsed, defaulted `NetworkIntent` plus findings that point at line and column.
 * Structural problems come from the zod schema, rewritten into findings with the same shape as rule findings;
 * semantic rules run only on a structurally valid intent (see `validate.ts`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isNode, isPair, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { MultinicError } from '../errors';
import { type Finding, formatPath, type IntentPath } from '../findings';
import { didYouMean } from '../text/did-you-mean';
import { networkIntentSchema } from './schema';
import type { NetworkIntent } from './types';

export interface ParsedIntent {
  /** The parsed intent; undefined when the document has structural errors. */
  readonly intent?: NetworkIntent;
  /** Structural findings (YAML syntax, schema). Empty when `intent` is set. */
  readonly findings: Finding[];
  /** Where the text came from, for messages. */
  readonly source: string;
  /** Maps an intent path to its 1-based line and column in the source. */
  /** With `atKey`, the position of the last segment's key rather than its value. */
  locate(path: IntentPath, atKey?: boolean): { line: number; column: number } | undefined;
}

/** Plugin names multinic can configure, per discriminated field, for did-you-mean. */
const KNOWN_BY_FIELD: Record<string, { id: string; what: string; known: string[] }> = {
  network: { id: 'multinic:UnknownCniPlugin', what: 'CNI plugin', known: ['macvlan', 'ipvlan', 'bridge', 'host-device'] },
  ipam: { id: 'multinic:UnknownIpamPlugin', what: 'IPAM plugin', known: ['host-local', 'static', 'whereabouts', 'dhcp', 'eni-prefix'] },
  workload: { id: 'multinic:UnknownWorkloadKind', what: 'workload kind', known: ['Pod', 'Deployment'] },
};

/**
 * Runs `fn` with `process.env` replaced by a plain copy of it. The yaml parser reads `process.env.LOG_TOKENS` for every
 * token (yaml 2.9 parse/parser.js), and each read of the real `process.env` calls into the environment: about 40% of
 * parsing a large intent. `fn` is synchronous, so nothing else sees the copy, and the real one is back even if it throws.
 */
function withPlainEnv<T>(fn: () => T): T {
  const env = process.env;
  process.env = { ...env };
  try {
    return fn();
  } finally {
    process.env = env;
  }
}

/** Intents shorter than this are schema-checked without zod's compiled parsers (see parseIntent). */
const JIT_MIN_CHARS = 64 * 1024;

/** Parses intent YAML text. Never throws for bad input: every problem is a finding. */
export function parseIntent(text: string, source = 'network-intent.yaml'): ParsedIntent {
  const lineCounter = new LineCounter();
  const doc = withPlainEnv(() => parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true }));
  const locate = (p: IntentPath, atKey = false) => locateIn(doc, lineCounter, p, atKey);

  if (doc.errors.length > 0) {
    const findings = doc.errors.map((e): Finding => {
      const pos = e.linePos?.[0];
      return {
        id: 'multinic:YamlSyntax', level: 'error', path: '', line: pos?.line, column: pos?.col,
        message: `${source} is not valid YAML: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
        fix: 'Fix the YAML syntax at the position shown (indentation, quoting, a duplicate key).',
      };
    });
    return { findings, source, locate };
  }

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // The yaml reader refuses documents whose aliases expand beyond maxAliasCount (an alias bomb).
    return {
      findings: [{
        id: 'multinic:YamlSyntax', level: 'error', path: '', line: 1, column: 1,
        message: `${source} is not a usable YAML document: ${(e as Error).message}`,
        fix: 'Write the intent without chains of aliases (*name): at most 100 alias expansions are read.',
      }],
      source, locate,
    };
  }
  // zod compiles a parser per object schema (new Function) on first use: worth it for large intents, while a typical
  // one is checked faster without (about 60 ms less for the default intent, a one-shot CLI run). Same result either way.
  const parsed = networkIntentSchema.safeParse(raw, { reportInput: true, jitless: text.length < JIT_MIN_CHARS });
  if (parsed.success) return { intent: parsed.data, findings: [], source, locate };

  const findings = parsed.error.issues.map((issue) => withPosition(issueToFinding(issue, raw), issue, locate));
  return { findings: dedupe(findings), source, locate };
}

/** Reads and parses an intent file. Throws `MultinicError('INTENT_READ')` only when the file cannot be read. */
export function loadIntentFile(file: string): ParsedIntent {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new MultinicError('INTENT_READ', `cannot read intent file ${file}: ${reason}. Pass an existing file with -i FILE.`);
  }
  return parseIntent(text, file);
}

/** The embedded default intent shipped with multinic (`network-intent.yaml` at the package root). */
export function defaultIntentPath(): string {
  // Works from lib/intent (tests, ts) and from build/lib/intent (compiled).
  for (const up of ['../..', '../../..']) {
    const candidate = path.resolve(__dirname, up, 'network-intent.yaml');
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new MultinicError('INTENT_READ', 'the embedded default network-intent.yaml is missing from the multinic package');
}

function issueToFinding(issue: z.core.$ZodIssue, raw: unknown): Finding {
  const p = issue.path as (string | number)[];
  const where = formatPath(p);
  const schemaFinding = (message: string, fix: string): Finding => ({
    id: 'multinic:Schema', level: 'error', path: where, message: `${where || '(document)'}: ${message}`, fix,
  });

  switch (issue.code) {
    case 'invalid_union': {
      const disc = (issue as { discriminator?: string }).discriminator;
      if (disc) {
        const field = p[p.length - 1] === 'ipam' || p[p.length - 2] === 'ipam' ? 'ipam' : p.includes('networks') ? 'network' : 'workload';
        const meta = KNOWN_BY_FIELD[field];
        const fieldPath = p[p.length - 1] === disc ? p : [...p, disc];
        const value = getIn(raw, fieldPath);
        const at = formatPath(fieldPath);
        if (value === undefined) {
          return { id: meta.id, level: 'error', path: at, message: `${at}: missing; every entry needs a ${disc}`, fix: `Set ${disc} to one of: ${meta.known.join(', ')}.` };
        }
        const guess = typeof value === 'string' ? didYouMean(value, meta.known) : undefined;
        return {
          id: meta.id, level: 'error', path: at,
          message: `${at}: unknown ${meta.what} ${JSON.stringify(value)}${guess ? `; did you mean "${guess}"?` : '.'} Known: ${meta.known.join(', ')}`,
          fix: guess ? `Change it to "${guess}".` : `Use one of: ${meta.known.join(', ')}.`,
        };
      }
      return schemaFinding('does not match any allowed shape', 'Check the field against docs/intent.md.');
    }
    case 'unrecognized_keys': {
      const keys = issue.keys;
      const allowed = allowedKeysAt(raw, p);
      const hints = keys.map((k) => {
        const g = didYouMean(k, allowed);
        return g ? `"${k}" (did you mean "${g}"?)` : `"${k}"`;
      });
      return {
        id: 'multinic:UnknownField', level: 'error', path: formatPath([...p, keys[0]]),
        message: `${where || '(document)'}: unknown field${keys.length > 1 ? 's' : ''} ${hints.join(', ')}`,
        fix: allowed.length ? `Remove it or use one of: ${allowed.join(', ')}.` : 'Remove it.',
      };
    }
    case 'invalid_type': {
      const input = (issue as { input?: unknown }).input;
      if (input === undefined) {
        if (p.length === 0) return schemaFinding('the file is empty (or holds only comments)', EMPTY_DOCUMENT_FIX);
        return schemaFinding(`required field is missing (expected ${issue.expected})`, `Add ${where}. See docs/intent.md.`);
      }
      if (p.length === 0 && input === null) return schemaFinding('the file is empty (or holds only comments)', EMPTY_DOCUMENT_FIX);
      if (p.length === 0) {
        return schemaFinding(`the document must be a mapping (apiVersion, kind, metadata, spec), got ${describe(input)}`, EMPTY_DOCUMENT_FIX);
      }
      return schemaFinding(`expected ${issue.expected}, got ${describe(input)}`, `Write ${where} as ${kindOf(issue.expected)}.`);
    }
    case 'invalid_value': {
      const values = issue.values.map((v) => JSON.stringify(v));
      const input = (issue as { input?: unknown }).input;
      const guess = typeof input === 'string' ? didYouMean(input, issue.values.map(String)) : undefined;
      return schemaFinding(
        `invalid value ${JSON.stringify(input)}${guess ? `; did you mean "${guess}"?` : '.'} Allowed: ${values.join(', ')}`,
        `Use one of: ${values.join(', ')}.`,
      );
    }
    case 'invalid_format':
      return schemaFinding(`${JSON.stringify((issue as { input?: unknown }).input)} does not have the expected format (${issue.message})`, `See docs/intent.md for the format of ${where}.`);
    case 'too_small':
    case 'too_big':
      return schemaFinding(issue.message.replace(/^Too (small|big)/, 'out of bounds'), `Change ${where} to a value within bounds.`);
    default:
      return schemaFinding(issue.message, `See docs/intent.md for ${where}.`);
  }
}

function withPosition(f: Finding, issue: z.core.$ZodIssue, locate: ParsedIntent['locate']): Finding {
  const p = issue.path as (string | number)[];
  const pos = (issue.code === 'unrecognized_keys' ? locate([...p, issue.keys[0]], true) : locate(p)) ?? locate(p.slice(0, -1));
  return pos ? { ...f, ...pos } : f;
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.id} ${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const EMPTY_DOCUMENT_FIX = 'Start from the default network-intent.yaml: apiVersion: multinic.dev/v1alpha1, kind: NetworkIntent, metadata.name and spec (docs/intent.md).';

/** zod's expected type as YAML calls it, with its article. */
function kindOf(expected: string): string {
  const kinds: Record<string, string> = {
    object: 'a mapping (key: value lines)', array: 'a list (lines starting with "- ")', string: 'a string', number: 'a number',
    int: 'a whole number', boolean: 'true or false', null: 'nothing (null)',
  };
  return kinds[expected] ?? `a value of type ${expected}`;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string' && /[\u0000-\u0008\u000e-\u001f\ufffd]/.test(v)) return 'binary data (is this a YAML file?)';
  const text = JSON.stringify(v);
  return `${typeof v} ${text.length > 80 ? `${text.slice(0, 77)}..."` : text}`;
}

function getIn(root: unknown, p: IntentPath): unknown {
  let cur: unknown = root;
  for (const seg of p) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

/** The keys the schema allows at an object path, for did-you-mean on unknown fields. */
function allowedKeysAt(raw: unknown, p: IntentPath): string[] {
  let schema: unknown = networkIntentSchema;
  for (let i = 0; i <= p.length; i++) {
    schema = unwrap(schema, getIn(raw, p.slice(0, i)));
    if (i === p.length) break;
    const def = (schema as { _zod?: { def?: Record<string, unknown> } })?._zod?.def;
    if (!def) return [];
    if (def.type === 'object') schema = (def.shape as Record<string, unknown>)[p[i] as string];
    else if (def.type === 'array') schema = def.element;
    else if (def.type === 'record') schema = def.valueType;
    else return [];
  }
  const def = (schema as { _zod?: { def?: { type?: string; shape?: Record<string, unknown> } } })?._zod?.def;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

function unwrap(schema: unknown, value: unknown): unknown {
  for (;;) {
    const def = (schema as { _zod?: { def?: Record<string, unknown> } })?._zod?.def;
    if (!def) return schema;
    if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault') {
      schema = def.innerType;
    } else if (def.type === 'union' && typeof def.discriminator === 'string') {
      const d = (value as Record<string, unknown> | undefined)?.[def.discriminator];
      const options = def.options as Array<{ _zod: { def: { shape: Record<string, { _zod: { def: { values?: unknown[] } } }> } } }>;
      const match = options.find((o) => o._zod.def.shape[def.discriminator as string]?._zod.def.values?.includes(d));
      if (!match) return schema;
      schema = match;
    } else {
      return schema;
    }
  }
}

function locateIn(doc: Document, lc: LineCounter, p: IntentPath, atKey: boolean): { line: number; column: number } | undefined {
  let node: unknown = doc.contents;
  for (const [i, seg] of p.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && it.key.value === seg);
      if (!pair) return undefined;
      node = pair.value ?? pair.key;
      // Point at the key itself when the path ends at a key whose value is missing.
      if (pair.value === null || (atKey && i === p.length - 1)) node = pair.key;
    } else if (node && typeof node === 'object' && 'items' in node && typeof seg === 'number') {
      node = (node as { items: unknown[] }).items[seg];
    } else {
      return undefined;
    }
  }
  if (!isNode(node) || !node.range) return undefined;
  const pos = lc.linePos(node.range[0]);
  return { line: pos.line, column: pos.col };
}
