import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Yaml } from 'cdk8s';

/**
 * Documents rendered once at build time. Rendering to YAML was most of `multinic synth`'s time, and the Multus and
 * Whereabouts charts (their CRDs, RBAC, config and DaemonSets) do not depend on the intent: `scripts/build.js` renders
 * them after compiling (`writePrerendered` in charts/app.ts) into {@link PRERENDERED_FILE}, and {@link chartYaml} takes
 * a document's YAML from there when the object to write is exactly one rendered then (same JSON, and nothing JSON would
 * not show). The committed CRDs' parsed documents are kept too, by the sha256 of the committed file. Anything else is
 * rendered as usual, and a stale or missing file costs time, never other output.
 */
export interface Prerendered {
  /** By committed file: its sha256 and the parsed document as JSON text (see `CommittedCrd`). */
  readonly crds: Readonly<Record<string, { readonly sha256: string; readonly source: string }>>;
  /** [JSON text of a document as `chart.toJson()` returns it, its YAML as cdk8s writes it]. */
  readonly docs: ReadonlyArray<readonly [string, string]>;
}

/** Where the compiled charts find it: beside this file in build/ (never in the sources). */
export const PRERENDERED_FILE = path.join(__dirname, 'prerendered.json');

let file = PRERENDERED_FILE;
let loaded: { crds: Prerendered['crds']; yaml: Map<string, string> } | undefined;

/** Reads prerendered documents from `from` from now on (tests; `undefined` switches back to the default file). */
export function usePrerendered(from: string | undefined): void {
  file = from ?? PRERENDERED_FILE;
  loaded = undefined;
}

function prerendered(): NonNullable<typeof loaded> {
  if (!loaded) {
    try {
      const p = JSON.parse(fs.readFileSync(file, 'utf-8')) as Prerendered;
      loaded = { crds: p.crds, yaml: new Map(p.docs) };
    } catch {
      loaded = { crds: {}, yaml: new Map() }; // not built (running from the sources): everything rendered as used
    }
  }
  return loaded;
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The parsed document of committed file `relPath` when its text `text` is the one prerendered. */
export function prerenderedSource(relPath: string, text: string): unknown {
  const crd = prerendered().crds[relPath];
  return crd && crd.sha256 === sha256(text) ? JSON.parse(crd.source) : undefined;
}

/**
 * The JSON text of a document, or undefined when two documents with that JSON could be written differently as YAML
 * (an undefined value, which YAML keeps as null; NaN, Infinity or -0; anything but plain objects, arrays and scalars).
 */
export function documentKey(doc: unknown): string | undefined {
  let plain = true;
  const key = JSON.stringify(doc, function (this: any, k: string, v: unknown) {
    const original = this[k];
    if (original === undefined || typeof original === 'function' || typeof original === 'symbol' || typeof original === 'bigint') plain = false;
    else if (typeof original === 'number' && (!Number.isFinite(original) || Object.is(original, -0))) plain = false;
    else if (typeof original === 'object' && original !== null && !Array.isArray(original)) {
      const proto = Object.getPrototypeOf(original);
      if (proto !== Object.prototype && proto !== null) plain = false;
    }
    return v;
  });
  return plain ? key : undefined;
}

/**
 * The YAML of one chart's objects, as cdk8s' `App.synth` writes a chart file (`Yaml.stringify` of `chart.toJson()`),
 * with each prerendered document's YAML reused.
 */
export function chartYaml(docs: readonly unknown[]): string {
  const memo = prerendered().yaml;
  return docs.map((d) => {
    const key = memo.size > 0 ? documentKey(d) : undefined;
    return (key !== undefined && memo.get(key)) || Yaml.stringify(d);
  }).join('---\n');
}

/** Renders `docs` for {@link PRERENDERED_FILE}: each plain one with its YAML. */
export function prerenderDocs(docs: readonly unknown[]): Array<[string, string]> {
  const out = new Map<string, string>();
  for (const d of docs) {
    const key = documentKey(d);
    if (key !== undefined) out.set(key, Yaml.stringify(d));
  }
  return [...out];
}
