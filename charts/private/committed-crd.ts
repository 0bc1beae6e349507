import * as fs from 'fs';
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as YAML from 'yaml';
import { prerenderedSource, sha256 } from './prerendered';

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
 * A committed CRD as an API object, its content as committed. Parsing the larger CRDs with the YAML reader (the
 * MultiNetworkPolicy CRD is 60 KB) was a large part of `multinic synth`'s time: while the committed file has the
 * sha256 recorded at build time (charts/private/prerendered.ts), its parsed document is read from there instead.
 */
export class CommittedCrd extends ApiObject {
  constructor(scope: Construct, id: string, relPath: string) {
    const text = fs.readFileSync(committedFilePath(relPath), 'utf-8');
    super(scope, id, prerenderedSource(relPath, text) ?? parseCrd(text, relPath));
  }
}

/** Defines the CRD committed at `relPath` as an API object, preserving its content as committed. */
export function committedCrd(scope: Construct, id: string, relPath: string): ApiObject {
  return new CommittedCrd(scope, id, relPath);
}

/** `relPath` parsed, as prerendered for `prerenderedSource`: its sha256 and the document as JSON text. */
export function crdSource(relPath: string): { readonly sha256: string; readonly source: string } {
  const text = fs.readFileSync(committedFilePath(relPath), 'utf-8');
  return { sha256: sha256(text), source: JSON.stringify(parseCrd(text, relPath)) };
}
