import * as fs from 'fs';
import * as path from 'path';
import { ApiObject } from 'cdk8s';
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

/**
 * Parses a committed single-document CRD YAML file (no network, no child process, unlike cdk8s `Include`).
 */
export function loadCommittedCrd(relPath: string): any {
  const file = committedFilePath(relPath);
  const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf-8')).map((d) => d.toJSON()).filter((d) => d != null);
  if (docs.length !== 1 || docs[0].kind !== 'CustomResourceDefinition' || docs[0].apiVersion !== 'apiextensions.k8s.io/v1') {
    throw new Error(`${relPath} must hold exactly one apiextensions.k8s.io/v1 CustomResourceDefinition`);
  }
  return docs[0];
}

/**
 * Defines the CRD committed at `relPath` as an API object, preserving its content as committed.
 */
export function committedCrd(scope: Construct, id: string, relPath: string): ApiObject {
  return new ApiObject(scope, id, loadCommittedCrd(relPath));
}
