/**
 * The one pipeline every output is made through: read -> parse -> validate -> resolved model. The cdk8s app, the CDK
 * app and the CLI's synth and plan all start here, and what they build reads the model it returns; nothing after it
 * validates again.
 */
import { MultinicError } from '../errors';
import type { Finding } from '../findings';
import type { IntentModel } from '../model/model';
import { loadIntentFile, parseIntent } from './load';
import type { NetworkIntent } from './types';
import { formatFindings, validateParsed, type ValidationResult } from './validate';

/** An intent that passed validation (no finding of level error), with its resolved model. */
export interface ValidIntent {
  /** Where it was read from, for messages. */
  readonly source: string;
  readonly intent: NetworkIntent;
  readonly model: IntentModel;
  /** Its findings: warnings only. */
  readonly findings: readonly Finding[];
}

/** Error code of an intent with findings of level error. */
export const INVALID_INTENT = 'INVALID_INTENT';
/** Error code of an intent whose validation crashed (`multinic:InternalError`): a bug in multinic. */
export const INTERNAL_ERROR = 'INTERNAL';

/** Thrown by `loadValidIntent`: the findings, formatted with file:line:column in the message. */
export class InvalidIntentError extends MultinicError {
  public readonly findings: readonly Finding[];
  constructor(source: string, result: ValidationResult) {
    super(result.internalErrors > 0 ? INTERNAL_ERROR : INVALID_INTENT,
      `${formatFindings(result.findings, source)}\n${source}: invalid (${result.errors} error${result.errors === 1 ? '' : 's'}); nothing synthesised`);
    this.findings = result.findings;
  }
}

/** Checks a validation result; returns the valid intent and its model, or throws `InvalidIntentError`. */
export function requireValid(result: ValidationResult, source: string): ValidIntent {
  if (!result.valid || !result.intent || !result.model) throw new InvalidIntentError(source, result);
  return { source, intent: result.intent, model: result.model, findings: result.findings };
}

/**
 * Reads, parses and validates an intent file. Throws `MultinicError` INTENT_READ when it cannot be read, and
 * `InvalidIntentError` (INVALID_INTENT, or INTERNAL when a check crashed) when it has errors.
 */
export function loadValidIntent(file: string): ValidIntent {
  return requireValid(validateParsed(loadIntentFile(file)), file);
}

/** `loadValidIntent` for intent text. */
export function validIntentFromText(text: string, source = 'network-intent.yaml'): ValidIntent {
  return requireValid(validateParsed(parseIntent(text, source)), source);
}
