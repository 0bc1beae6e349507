import * as fs from 'node:fs';
import * as path from 'node:path';
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

/** `examples/seed-faithful.yaml`, parsed: the seed's host-local and Whereabouts networks as the notes ran them. */
export function seedFaithfulIntent(): NetworkIntent {
  const r = parseIntent(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'seed-faithful.yaml'), 'utf8'));
  if (!r.intent) throw new Error(`examples/seed-faithful.yaml does not parse: ${r.findings.map((f) => f.message).join('; ')}`);
  return r.intent;
}

export function seedFaithfulModel(): IntentModel {
  return buildModel(seedFaithfulIntent());
}
