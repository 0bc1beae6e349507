import * as fs from 'node:fs';
import { defaultIntentPath, parseIntent } from '../../lib/intent/load';
import type { NetworkIntent } from '../../lib/intent/types';
import { buildModel, type IntentModel } from '../../lib/model/model';

/** The embedded default intent, parsed (throws if it ever stops being structurally valid). */
export function defaultIntent(): NetworkIntent {
  const r = parseIntent(fs.readFileSync(defaultIntentPath(), 'utf8'));
  if (!r.intent) throw new Error(`default intent does not parse: ${r.findings.map((f) => f.message).join('; ')}`);
  return r.intent;
}

export function defaultModel(): IntentModel {
  return buildModel(defaultIntent());
}
