import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Yaml } from 'cdk8s';
import { Construct } from 'constructs';
import * as YAML from 'yaml';

/**
 * Finds a file committed at `relPath` from the repository root, walking up from this file. The walk makes the same
 * code work from the TypeScript sources (charts/...) and from the compiled output (build/charts/...).
 */
export function committedFilePath(relPath: string): string {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, relPath);
    if (fs.existsSync(candidate)) {
      return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      // Not a user mistake: the package is broken if the committed CRDs are missing.
      throw new Error(`committed file ${relPath} not found above ${__dirname}`);
    }
    dir = parent;
  }
}

/** Parses the text of a committed single-document CRD file; `relPath` names it in the error. */
function parseCrd(text: string, relPath: string): any {
  const docs = YAML.parseAllDocuments(text).map((d) => d.toJSON()).filter((d) => d != null);
  if (docs.length !== 1 || docs[0].kind !== 'CustomResourceDefinition' || docs[0].apiVersion !== 'apiextensions.k8s.io/v1') {
    throw new Error(`${relPath} must hold exactly one apiextensions.k8s.io/v1 CustomResourceDefinition`);
  }
  return docs[0];
}

/**
 * Parses a committed single-document CRD YAML file (no network, no child process, unlike cdk8s `Include`).
 */
export function loadCommittedCrd(relPath: string): any {
  return parseCrd(fs.readFileSync(committedFilePath(relPath), 'utf-8'), relPath);
}

/**
 * One committed CRD rendered ahead of time (by `scripts/build.js`, see {@link prerenderCrds}): the sha256 of
 * the committed file it came from, that file parsed, and the object the charts emit for it with its YAML document.
 */
export interface PrerenderedCrd {
  readonly sha256: string;
  /** The committed document as JSON text (parsed anew for each object, which may change its metadata). */
  readonly source: string;
  /** `JSON.stringify` of the object `toJson()` returns in the charts. */
  readonly json: string;
  /** That object as cdk8s writes it into a manifest file (`Yaml.stringify`). */
  readonly yaml: string;
}

/** Where the compiled charts find the prerendered CRDs: beside this file in build/ (never in the sources). */
export const PRERENDERED_CRDS_FILE = path.join(__dirname, 'committed-crds.prerendered.json');

let prerenderedFile = PRERENDERED_CRDS_FILE;
let prerendered: Record<string, PrerenderedCrd> | undefined;

/** Reads prerendered CRDs from `file` from now on (tests; `undefined` switches back to the default file). */
export function usePrerenderedCrds(file: string | undefined): void {
  prerenderedFile = file ?? PRERENDERED_CRDS_FILE;
  prerendered = undefined;
}

function prerenderedCrds(): Record<string, PrerenderedCrd> {
  if (!prerendered) {
    try {
      prerendered = JSON.parse(fs.readFileSync(prerenderedFile, 'utf-8')) as Record<string, PrerenderedCrd>;
    } catch {
      prerendered = {}; // not built (running from the sources): every CRD is parsed and rendered as it is used
    }
  }
  return prerendered;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** YAML documents of prerendered CRD objects, by the object their `toJson()` returned (see {@link chartYaml}). */
const renderedYaml = new WeakMap<object, string>();

/**
 * A committed CRD as an API object, its content as committed. Parsing and rendering the larger CRDs (the
 * MultiNetworkPolicy CRD is 60 KB of YAML) was most of `multinic synth`'s time; when `scripts/build.js` has
 * prerendered this file and the committed text still has the same sha256, the parsed document is read from JSON,
 * and when the object the chart emits is byte for byte the one prerendered, its YAML is reused ({@link chartYaml}).
 * Anything else (another file, another label or patch) takes the ordinary path: the output is the same either way.
 */
export class CommittedCrd extends ApiObject {
  private readonly prerendered?: PrerenderedCrd;

  constructor(scope: Construct, id: string, relPath: string) {
    const text = fs.readFileSync(committedFilePath(relPath), 'utf-8');
    const pre = prerenderedCrds()[relPath];
    const fresh = pre !== undefined && pre.sha256 === sha256(text);
    super(scope, id, fresh ? JSON.parse(pre.source) : parseCrd(text, relPath));
    this.prerendered = fresh ? pre : undefined;
  }

  public toJson(): any {
    const json = super.toJson();
    if (this.prerendered && JSON.stringify(json) === this.prerendered.json) renderedYaml.set(json, this.prerendered.yaml);
    return json;
  }
}

/** Defines the CRD committed at `relPath` as an API object, preserving its content as committed. */
export function committedCrd(scope: Construct, id: string, relPath: string): ApiObject {
  return new CommittedCrd(scope, id, relPath);
}

/**
 * The YAML of one chart's objects, as cdk8s' `App.synth` writes a chart file (`Yaml.stringify` of `chart.toJson()`),
 * with each prerendered CRD's document reused instead of rendered again.
 */
export function chartYaml(docs: readonly unknown[]): string {
  return docs.map((d) => (d !== undefined && renderedYaml.get(d as object)) || Yaml.stringify(d)).join('---\n');
}

/**
 * Renders each committed CRD in `files` the way the charts emit it (`finish` applies what the charts add, e.g. the
 * managed-by label and `clusterScoped`), by file: what `scripts/build.js` writes to {@link PRERENDERED_CRDS_FILE}
 * after compiling (`writePrerenderedCrds` in charts/app.ts).
 */
export function prerenderCrds(files: readonly string[], finish: (obj: ApiObject) => void): Record<string, PrerenderedCrd> {
  const out: Record<string, PrerenderedCrd> = {};
  for (const relPath of files) {
    const text = fs.readFileSync(committedFilePath(relPath), 'utf-8');
    const source = parseCrd(text, relPath);
    const obj = new ApiObject(new Chart(new App(), 'Prerender'), 'Crd', source);
    finish(obj);
    const json = obj.toJson();
    out[relPath] = { sha256: sha256(text), source: JSON.stringify(parseCrd(text, relPath)), json: JSON.stringify(json), yaml: Yaml.stringify(json) };
  }
  return out;
}
