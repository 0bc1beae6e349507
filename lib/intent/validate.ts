/**
 * Validation: structural findings (YAML, schema) first; on a structurally valid intent, every semantic rule.
 * Findings carry the line and column of the offending value.
 */
import { buildModel, type IntentModel } from '../model/model';
import { INTERNAL_ERROR_ID, parsePath } from '../findings';
import { appliesTo, RULES, type Finding, type Rule } from '../rules';
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
  /** Findings of id `multinic:InternalError`: a rule crashed (a bug in multinic); the CLI exits 2. */
  readonly internalErrors: number;
}

/** Parses `spec.networks[2].ipam.type` back into segments (see `formatPath`). */
export { parsePath } from '../findings';

/**
 * Runs `rules` over an already parsed intent, skipping those meant for another cluster flavour. A rule that throws is a bug in multinic, not in the intent: it becomes
 * one `multinic:InternalError` finding naming the rule, and the other rules still run.
 */
export function runRules(intent: NetworkIntent, rules: readonly Rule[] = RULES, model: IntentModel = buildModel(intent)): Finding[] {
  const all = rules.filter((r) => appliesTo(r, intent)).map((r) => ({ rule: r, findings: checkSafely(r, intent, model) }));
  const errorsOf = all.flatMap(({ rule, findings }) => (rule.onlyAlone ? [] : findings.filter((f) => f.level === 'error')));
  return all.flatMap(({ rule, findings }) => (rule.onlyAlone
    ? findings.filter((f) => !errorsOf.some((e) => e.path === f.path || e.path.startsWith(`${f.path}.`) || e.path.startsWith(`${f.path}[`)))
    : findings));
}

function checkSafely(rule: Rule, intent: NetworkIntent, model: IntentModel): Finding[] {
  try {
    return rule.check(intent, model);
  } catch (e) {
    return [internalError(`rule ${rule.id}`, e)];
  }
}

/** The finding that stands for a crash of `what` (a rule, building the model). */
export function internalError(what: string, e: unknown): Finding {
  const reason = e instanceof Error ? e.message : String(e);
  return {
    id: INTERNAL_ERROR_ID, level: 'error', path: '',
    message: `${what} crashed: ${reason.split('\n')[0]}. This is a bug in multinic, not in the intent.`,
    fix: 'Please report it with the intent file (set MULTINIC_DEBUG=1 for the stack trace); the other findings are still valid.',
  };
}

/** Validates a parsed document. Never throws: a crash in multinic's own code is an internal-error finding. */
export function validateParsed(parsed: ParsedIntent, rules: readonly Rule[] = RULES): ValidationResult {
  let findings = parsed.findings;
  let model: IntentModel | undefined;
  if (parsed.intent) {
    try {
      model = buildModel(parsed.intent);
    } catch (e) {
      findings = [internalError('building the model', e)];
    }
    if (model) {
      findings = runRules(parsed.intent, rules, model).map((f) => {
        if (f.line !== undefined) return f;
        const pos = parsed.locate(parsePath(f.path));
        return pos ? { ...f, ...pos } : f;
      });
    }
  }
  const errors = findings.filter((f) => f.level === 'error').length;
  const internalErrors = findings.filter((f) => f.id === INTERNAL_ERROR_ID).length;
  return { intent: parsed.intent, model, findings, errors, warnings: findings.length - errors, valid: errors === 0, internalErrors };
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
