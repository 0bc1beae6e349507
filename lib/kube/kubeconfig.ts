/**
 * Just enough of a kubeconfig to call the API server the way kubectl would: the current (or named) context, its
 * cluster (server, certificate-authority(-data), insecure-skip-tls-verify) and its user (token, tokenFile,
 * client-certificate(-data) and client-key(-data)). File paths are relative to the kubeconfig's directory, as
 * kubectl resolves them. exec and auth-provider plugins are not run: multinic says so instead of failing later.
 *
 * @see https://kubernetes.io/docs/reference/config-api/kubeconfig.v1/
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { MultinicError } from '../errors';

/** What a request to the API server needs. */
export interface KubeCredentials {
  /** Context used. */
  readonly context: string;
  /** Base URL of the API server, without a trailing slash (`https://10.0.0.10:6443`). */
  readonly server: string;
  /** PEM CA bundle the server certificate must chain to. @default - the system roots */
  readonly ca?: Buffer;
  /** Skip server certificate checks (kubeconfig `insecure-skip-tls-verify`). */
  readonly insecureSkipTlsVerify: boolean;
  /** Bearer token. @default - none */
  readonly token?: string;
  /** PEM client certificate and key. @default - none */
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

type Named<T> = Array<{ name?: string } & Record<string, T | undefined>>;
type Doc = Record<string, unknown>;

/** The kubeconfig to read: the flag, else the first entry of KUBECONFIG, else ~/.kube/config. */
export function kubeconfigPath(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return flag;
  const first = (env.KUBECONFIG ?? '').split(path.delimiter).find((p) => p !== '');
  return first ?? path.join(os.homedir(), '.kube', 'config');
}

const fail = (file: string, msg: string) => new MultinicError('KUBECONFIG', `${file}: ${msg}`);

function entry(doc: Doc, list: 'contexts' | 'clusters' | 'users', name: string, file: string, field: string): Doc {
  const items = (Array.isArray(doc[list]) ? doc[list] : []) as Named<Doc>;
  const found = items.find((i) => i?.name === name);
  const inner = found?.[field.replace(/s$/, '')];
  if (!found || typeof inner !== 'object' || inner === null) {
    const known = items.map((i) => i?.name).filter(Boolean).join(', ') || '(none)';
    throw fail(file, `no ${field.replace(/s$/, '')} named "${name}" in ${list}; known: ${known}.`);
  }
  return inner;
}

/**
 * Reads the credentials of `context` (default: current-context) from kubeconfig text.
 * @param file the kubeconfig's path: relative certificate paths are resolved against its directory
 */
export function parseKubeconfig(text: string, file: string, context?: string, readFile: (p: string) => Buffer = (p) => fs.readFileSync(p)): KubeCredentials {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw fail(file, `is not YAML (${(e as Error).message.split('\n')[0]}).`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw fail(file, 'is not a kubeconfig (expected a YAML mapping with clusters, users and contexts).');
  const d = doc as Doc;
  const ctxName = context ?? (typeof d['current-context'] === 'string' ? d['current-context'] : undefined);
  if (!ctxName) throw fail(file, 'has no current-context; set one (kubectl config use-context NAME).');
  const ctx = entry(d, 'contexts', ctxName, file, 'contexts');
  const cluster = entry(d, 'clusters', String(ctx.cluster ?? ''), file, 'clusters');
  const user = typeof ctx.user === 'string' && ctx.user !== '' ? entry(d, 'users', ctx.user, file, 'users') : {};

  const dir = path.dirname(file);
  const read = (what: string, p: string): Buffer => {
    const full = path.isAbsolute(p) ? p : path.join(dir, p);
    try {
      return readFile(full);
    } catch (e) {
      throw fail(file, `cannot read ${what} ${full} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
    }
  };
  const pem = (dataKey: string, fileKey: string, src: Doc, what: string): Buffer | undefined => {
    if (typeof src[dataKey] === 'string') return Buffer.from(src[dataKey] as string, 'base64');
    if (typeof src[fileKey] === 'string') return read(what, src[fileKey] as string);
    return undefined;
  };

  const server = typeof cluster.server === 'string' ? cluster.server.replace(/\/+$/, '') : '';
  if (!/^https?:\/\/[^/]+/.test(server)) throw fail(file, `cluster "${ctx.cluster}" has no server URL (got "${server}"); expected https://HOST:PORT.`);
  for (const plugin of ['exec', 'auth-provider']) {
    if (user[plugin] !== undefined) {
      throw fail(file, `user "${ctx.user}" authenticates through ${plugin}, which multinic does not run; use a context with a token or a client certificate (kubeadm's admin.conf has one).`);
    }
  }
  const token = typeof user.token === 'string' ? user.token
    : typeof user.tokenFile === 'string' ? read('token file', user.tokenFile).toString('utf8').trim() : undefined;
  const cert = pem('client-certificate-data', 'client-certificate', user, 'client certificate');
  const key = pem('client-key-data', 'client-key', user, 'client key');
  if ((cert === undefined) !== (key === undefined)) throw fail(file, `user "${ctx.user}" has a client certificate without its key (or a key without its certificate).`);
  return {
    context: ctxName,
    server,
    ca: pem('certificate-authority-data', 'certificate-authority', cluster, 'certificate authority'),
    insecureSkipTlsVerify: cluster['insecure-skip-tls-verify'] === true,
    token,
    cert,
    key,
  };
}

/** Reads and parses the kubeconfig at `file`. */
export function loadKubeconfig(file: string, context?: string): KubeCredentials {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new MultinicError('KUBECONFIG', `cannot read kubeconfig ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); pass --kubeconfig FILE or set KUBECONFIG (kubeadm writes /etc/kubernetes/admin.conf on the control plane).`);
  }
  return parseKubeconfig(text, file, context);
}
