/**
 * Schema validation of synthesized Kubernetes manifests, offline.
 *
 * - Built-in kinds are validated with kubernetes-models 4.x (the Kubernetes OpenAPI schemas compiled to validators):
 *   types, required fields, enums, quantity formats. Those schemas do not forbid unknown fields, so a misspelt
 *   field in a built-in object is NOT caught here (the cdk8s L1 classes cannot emit one, which is why the charts use
 *   them).
 * - Custom resources are validated with ajv against the openAPIV3Schema of their CRD, taken from the objects under
 *   test or from the CRDs committed in `crds/`. Unknown fields are errors there, as with the API server's strict
 *   field validation (the default of `kubectl apply` since 1.27), unless the schema preserves unknown fields.
 * - An object whose kind is neither built in nor defined by a known CRD is an error, never skipped.
 * - Two objects with the same group, kind, namespace and name are an error (the later one would win at apply).
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import * as models from 'kubernetes-models';
import * as YAML from 'yaml';

const REPO_ROOT = path.resolve(__dirname, '../..');
/** Where the committed CRDs live; every custom resource may use them without emitting the CRD itself. */
const COMMITTED_CRD_DIRS = ['crds', 'crds/whereabouts', 'crds/multi-networkpolicy'];

interface CrdVersionSchema {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly scope: 'Namespaced' | 'Cluster';
  readonly schema: any;
}

function describeObject(obj: any, index: number): string {
  const kind = obj?.kind ?? '<no kind>';
  const ns = obj?.metadata?.namespace;
  const name = obj?.metadata?.name ?? '<no name>';
  return `[${index}] ${obj?.apiVersion ?? '<no apiVersion>'} ${kind} ${ns ? `${ns}/` : ''}${name}`;
}

function formatAjvErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const at = e.instancePath === '' ? '/' : e.instancePath;
    if (e.keyword === 'additionalProperties') {
      return `${at}: unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`;
    }
    if (e.keyword === 'required') {
      return `${at}: missing required field "${(e.params as { missingProperty: string }).missingProperty}"`;
    }
    return `${at}: ${e.message}`;
  });
}

/** `rbac.authorization.k8s.io` -> `rbacAuthorizationK8sIo`, the export name kubernetes-models uses for a group. */
function groupExportName(group: string): string {
  return group.split('.').map((part, i) => (i === 0 ? part : part.charAt(0).toUpperCase() + part.slice(1))).join('');
}

/** The kubernetes-models class for apiVersion/kind, or undefined when kubernetes-models does not know it. */
export function findModelClass(apiVersion: string, kind: string): any {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
  const groupModule: any = group === '' ? { [version]: (models as any).v1 } : (models as any)[groupExportName(group)];
  const candidate = groupModule?.[version]?.[kind];
  if (typeof candidate === 'function' && candidate.apiVersion === apiVersion && candidate.kind === kind) {
    return candidate;
  }
  return undefined;
}

/**
 * Rewrites a CRD structural schema so that fields it does not declare are errors (the API server prunes or, with
 * strict field validation, rejects them). `apiVersion`, `kind` and `metadata` are always allowed at the root, and
 * `metadata` is left open: the API server validates it separately.
 */
function strictSchema(schema: any, isRoot = true): any {
  if (schema === null || typeof schema !== 'object') {
    return schema;
  }
  if (Array.isArray(schema)) {
    return schema.map((s) => strictSchema(s, false));
  }
  const out: any = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value as object).map(([prop, sub]) =>
        [prop, isRoot && prop === 'metadata' ? sub : strictSchema(sub, false)]));
    } else if (key === 'items' || key === 'additionalProperties' || key === 'not') {
      out[key] = typeof value === 'object' ? strictSchema(value, false) : value;
    } else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf') {
      out[key] = strictSchema(value, false);
    } else {
      out[key] = value;
    }
  }
  if (isRoot) {
    // The API server always accepts the type and object metadata at the root, declared or not.
    out.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...out.properties };
  }
  if (out.properties && schema.additionalProperties === undefined && schema['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

function crdVersions(crd: any): CrdVersionSchema[] {
  const spec = crd?.spec ?? {};
  return (spec.versions ?? []).map((v: any) => ({
    group: spec.group,
    version: v.name,
    kind: spec.names?.kind,
    scope: spec.scope,
    schema: v.schema?.openAPIV3Schema,
  }));
}

let committedCrdCache: any[] | undefined;

/** The CRDs committed under `crds/` (read once per test process). */
export function committedCrds(): any[] {
  if (committedCrdCache === undefined) {
    committedCrdCache = [];
    for (const dir of COMMITTED_CRD_DIRS) {
      const abs = path.join(REPO_ROOT, dir);
      if (!fs.existsSync(abs)) continue;
      for (const file of fs.readdirSync(abs).filter((f) => /\.ya?ml$/.test(f)).sort()) {
        for (const doc of YAML.parseAllDocuments(fs.readFileSync(path.join(abs, file), 'utf-8'))) {
          // Upstream's MultiNetworkPolicy scheme.yml is not strict YAML; its strict copy beside it is read instead.
          if (doc.errors.length > 0) continue;
          const obj = doc.toJSON();
          if (obj?.kind === 'CustomResourceDefinition') committedCrdCache.push(obj);
        }
      }
    }
  }
  return committedCrdCache;
}

/**
 * Validates every object; returns one readable line per problem (empty when all objects are valid).
 *
 * @param objects synthesized manifests, e.g. `Testing.synth(chart)`
 */
export function validateManifests(objects: any[]): string[] {
  const errors: string[] = [];
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  const crdSchemas = new Map<string, CrdVersionSchema>();
  const compiled = new Map<string, ValidateFunction>();
  for (const crd of [...committedCrds(), ...objects.filter((o) => o?.kind === 'CustomResourceDefinition')]) {
    for (const v of crdVersions(crd)) {
      crdSchemas.set(`${v.group}/${v.version}/${v.kind}`, v);
    }
  }

  const seen = new Map<string, number>();
  objects.forEach((obj, index) => {
    const where = describeObject(obj, index);
    const fail = (msg: string) => errors.push(`${where}: ${msg}`);
    // Two objects with one identity: the second silently overwrites the first at apply time.
    const group = typeof obj?.apiVersion === 'string' && obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
    const identity = `${group}/${obj?.kind}/${obj?.metadata?.namespace ?? ''}/${obj?.metadata?.name}`;
    const first = seen.get(identity);
    if (first !== undefined) {
      fail(`duplicate of object [${first}] (same group, kind, namespace and name)`);
    } else {
      seen.set(identity, index);
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      fail('not an object');
      return;
    }
    if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
      fail('apiVersion and kind must be strings');
      return;
    }
    if (typeof obj.metadata?.name !== 'string' || obj.metadata.name === '') {
      fail('metadata.name is missing (every object multinic emits has a name)');
    }

    const Model = findModelClass(obj.apiVersion, obj.kind);
    if (Model) {
      try {
        new Model(obj).validate();
      } catch (e: any) {
        const details: ErrorObject[] | undefined = e?.errors;
        if (details?.length) {
          formatAjvErrors(details).forEach(fail);
        } else {
          fail(String(e?.message ?? e));
        }
      }
      return;
    }

    const crdKey = `${obj.apiVersion}/${obj.kind}`;
    const crd = crdSchemas.get(crdKey);
    if (!crd) {
      fail('unknown kind: not a Kubernetes built-in known to kubernetes-models and not defined by any known CRD');
      return;
    }
    if (!crd.schema) {
      fail(`CRD for ${crdKey} has no openAPIV3Schema`);
      return;
    }
    if (crd.scope === 'Namespaced' && !obj.metadata?.namespace) {
      // Not a schema error (kubectl would default it), but multinic always states where a custom resource lives.
      fail('namespaced custom resource without metadata.namespace');
    }
    let validate = compiled.get(crdKey);
    if (!validate) {
      validate = ajv.compile(strictSchema(crd.schema));
      compiled.set(crdKey, validate);
    }
    if (!validate(obj)) {
      formatAjvErrors(validate.errors).forEach(fail);
    }
  });
  return errors;
}
