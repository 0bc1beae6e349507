/**
 * What the seed scenarios of one box share (test/cluster/seed-experiments.test.ts): the box, kubectl against it, the
 * model of the intent it runs, and temporary folders removed when the suite ends. Filled in by the suite's beforeAll;
 * the scenario modules (experiments.ts, whereabouts.ts) read it inside their tests.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateText } from '../../../lib/intent/validate';
import type { IntentModel } from '../../../lib/model/model';
import type { SeedBox } from './box';
import type { Kube } from './kube';

export interface SeedLab {
  box: SeedBox;
  kube: Kube;
  /** The model of the intent the box runs. */
  model: IntentModel;
  /** A new temporary folder, removed by `cleanTmp`. */
  tmpDir(prefix: string): string;
  /** Removes every folder `tmpDir` made. */
  cleanTmp(): void;
}

/** A lab whose box, kube and model the suite sets in its beforeAll. */
export function newLab(): SeedLab {
  const dirs: string[] = [];
  return {
    box: undefined as unknown as SeedBox,
    kube: undefined as unknown as Kube,
    model: undefined as unknown as IntentModel,
    tmpDir: (prefix) => { const d = mkdtempSync(join(tmpdir(), prefix)); dirs.push(d); return d; },
    cleanTmp: () => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); },
  };
}

/** The model of an intent file the box runs; throws with the findings when it is not valid. */
export function modelOf(file: string): IntentModel {
  const r = validateText(readFileSync(file, 'utf8'), file);
  if (!r.model) throw new Error(`the box's intent is not valid:\n${r.findings.map((f) => f.message).join('\n')}`);
  return r.model;
}
