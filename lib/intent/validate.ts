/**
 * Validation: structural findings (YAML, schema) first; on a structurally valid intent, every semantic rule.
 * Findings carry the line and column of the offending value.
 */
import { buildModel, type IntentModel } from '../model/model';
import { appliesTo, RULES, type Finding, type IntentPath, type Rule } from '../rules';
import { type ParsedIntent, parseIntent } from './load';
import type { NetworkIntent } from './types';

export interface ValidationResult {
  readonly intent?: NetworkIntent;
  readonly model?: IntentModel;
  readonly findings: Finding[];
  readonly errors: number;
  readonly warnings: number;
  /** True when there is no finding of level error. */
  readonly valid: boolean;
}

/** Parses `spec.networks[2].ipam.type` back into segments. */
export function parsePath(path: string): IntentPath {
  const out: Array<string | number> = [];
  for (const part of path.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return out;
    if (m[1]) out.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

/**
 * Runs `rules` over an already parsed intent, skipping those meant for another cluster flavour. A rule that throws is
 * a bug in multinic, not in the intent.
 */
export function runRules(intent: NetworkIntent, rules: readonly Rule[] = RULES, model: IntentModel = buildModel(intent)): Finding[] {
  return rules.filter((r) => appliesTo(r, intent)).flatMap((r) => r.check(intent, model));
}

/** Validates a parsed document. */
export function validateParsed(parsed: ParsedIntent, rules: readonly Rule[] = RULES): ValidationResult {
  let findings = parsed.findings;
  let model: IntentModel | undefined;
  if (parsed.intent) {
    model = buildModel(parsed.intent);
    findings = runRules(parsed.intent, rules, model).map((f) => {
      if (f.line !== undefined) return f;
      const pos = parsed.locate(parsePath(f.path));
      return pos ? { ...f, ...pos } : f;
    });
  }
  const errors = findings.filter((f) => f.level === 'error').length;
  return { intent: parsed.intent, model, findings, errors, warnings: findings.length - errors, valid: errors === 0 };
}

/** Parses and validates intent text. */
export function validateText(text: string, source?: string, rules?: readonly Rule[]): ValidationResult {
  return validateParsed(parseIntent(text, source), rules);
}

/** Formats findings the way the CLI prints them: `file:line:col: error multinic:Id message` + fix. */
export function formatFindings(findings: readonly Finding[], source: string): string {
  return findings.map((f) => {
    const where = f.line !== undefined ? `${source}:${f.line}:${f.column ?? 1}` : source;
    return `${where}: ${f.level} ${f.id}\n  ${f.message}\n  fix: ${f.fix}`;
  }).join('\n');
}
