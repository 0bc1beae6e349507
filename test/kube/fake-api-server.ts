/**
 * A fake Kubernetes API server on 127.0.0.1 for the lib/kube and verify --k8s tests: it serves the two paths
 * multinic reads (`/api/v1/nodes`, `/api/v1/namespaces/{ns}/pods`, `.../pods/{pod}` and `.../pods/{pod}/log`) with labelSelector (k=v,...), fieldSelector
 * (metadata.name=X), limit and continue, and records every request. Over TLS it uses a CA, server and client
 * certificate made by `openssl` (EC P-256, so it takes milliseconds) and accepts a bearer token or a client
 * certificate signed by that CA; plain HTTP accepts the token only.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { stringify } from 'yaml';
import { requireTools } from '../util/require-tool';
import type { KubeNode, KubePod } from '../../lib/kube/types';

export const TOKEN = 'good-token';

/** The suites that need makePki (it runs openssl): `tls.describe(...)` skips them, naming openssl, where it is missing. */
export const tls = requireTools(['openssl']);

export interface Pki {
  readonly dir: string;
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
  /** A CA that signed nothing here: a kubeconfig with it must fail the TLS check. */
  readonly otherCaCert: string;
}

/** Makes a CA, a server certificate for IP 127.0.0.1 and a client certificate, in a new temporary directory. */
export function makePki(): Pki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-pki-'));
  const f = (n: string) => path.join(dir, n);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=multinic-test-ca');
  ssl('req', '-x509', ...ec, '-keyout', 'other.key', '-out', 'other.crt', '-days', '2', '-subj', '/CN=other-ca');
  fs.writeFileSync(f('server.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  fs.writeFileSync(f('client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const [name, subj] of [['server', '/CN=127.0.0.1'], ['client', '/O=system:masters/CN=kubernetes-admin']]) {
    ssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subj);
    ssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-out', `${name}.crt`, '-extfile', `${name}.ext`);
  }
  return {
    dir, caCert: f('ca.crt'), serverCert: f('server.crt'), serverKey: f('server.key'),
    clientCert: f('client.crt'), clientKey: f('client.key'), otherCaCert: f('other.crt'),
  };
}

export interface FakeApi {
  readonly url: string;
  /** Path and query of every request, in order. */
  readonly requests: string[];
  nodes: KubeNode[];
  pods: KubePod[];
  /** Pod logs by `namespace/pod` for `/api/v1/namespaces/{ns}/pods/{pod}/log` (text/plain); a pod without one answers 400 like a container that has not started. */
  logs: Record<string, string>;
  /** Answer every request with this status and Status body instead. @default - none */
  failWith?: { status: number; message: string };
  close(): Promise<void>;
}

function matches(labels: Readonly<Record<string, string>> | undefined, selector: string | null): boolean {
  if (!selector) return true;
  return selector.split(',').every((kv) => {
    const [k, v] = kv.split('=');
    return labels?.[k] === v;
  });
}

function page<T>(items: readonly T[], url: URL): { items: readonly T[]; metadata: { continue?: string; resourceVersion: string } } {
  const limit = Number(url.searchParams.get('limit') ?? '0') || items.length;
  const from = Number(url.searchParams.get('continue') ?? '0');
  const next = from + limit;
  return { items: items.slice(from, next), metadata: { resourceVersion: '1', ...(next < items.length ? { continue: String(next) } : {}) } };
}

/** Starts the server; `tls` serves HTTPS with the PKI's server certificate and asks for client certificates. */
export async function startFakeApi(pki?: Pki): Promise<FakeApi> {
  const state: Omit<FakeApi, 'url' | 'close'> = { requests: [], nodes: [], pods: [], logs: {} };
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    state.requests.push(`${url.pathname}${url.search}`);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const certOk = pki !== undefined && (req.socket as TLSSocket).authorized === true;
    if (req.headers.authorization !== `Bearer ${TOKEN}` && !certOk) {
      send(401, { kind: 'Status', status: 'Failure', message: 'Unauthorized', code: 401 });
      return;
    }
    if (state.failWith) {
      send(state.failWith.status, { kind: 'Status', status: 'Failure', message: state.failWith.message, code: state.failWith.status });
      return;
    }
    if (url.pathname === '/api/v1/nodes') {
      send(200, { kind: 'NodeList', ...page(state.nodes.filter((n) => matches(n.metadata.labels, url.searchParams.get('labelSelector'))), url) });
      return;
    }
    const log = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/.exec(url.pathname);
    if (log) {
      const text = state.logs[`${log[1]}/${log[2]}`];
      if (text === undefined) {
        send(400, { kind: 'Status', status: 'Failure', message: `container in pod "${log[2]}" is waiting to start: ContainerCreating`, code: 400 });
      } else {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end(text);
      }
      return;
    }
    const one = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)$/.exec(url.pathname);
    if (one) {
      const pod = state.pods.find((p) => p.metadata.namespace === one[1] && p.metadata.name === one[2]);
      if (pod) send(200, { kind: 'Pod', apiVersion: 'v1', ...pod });
      else send(404, { kind: 'Status', status: 'Failure', message: `pods "${one[2]}" not found`, code: 404 });
      return;
    }
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(url.pathname);
    if (m) {
      const field = url.searchParams.get('fieldSelector');
      const name = field?.startsWith('metadata.name=') ? field.slice('metadata.name='.length) : undefined;
      const pods = state.pods.filter((p) => p.metadata.namespace === m[1] && matches(p.metadata.labels, url.searchParams.get('labelSelector'))
        && (name === undefined || p.metadata.name === name));
      send(200, { kind: 'PodList', ...page(pods, url) });
      return;
    }
    send(404, { kind: 'Status', status: 'Failure', message: `the server could not find the requested resource (${url.pathname})`, code: 404 });
  };
  const server = pki
    ? https.createServer({ cert: fs.readFileSync(pki.serverCert), key: fs.readFileSync(pki.serverKey), ca: fs.readFileSync(pki.caCert), requestCert: true, rejectUnauthorized: false }, handler)
    : http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const api = state as FakeApi;
  Object.assign(api, {
    url: `${pki ? 'https' : 'http'}://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  });
  return api;
}

export interface KubeconfigOptions {
  readonly server: string;
  /** cluster fields beyond server. */
  readonly cluster?: Record<string, unknown>;
  /** user fields. @default - the test token */
  readonly user?: Record<string, unknown>;
}

/** Writes a kubeconfig with one context `test` (current) and returns its path. */
export function writeKubeconfig(dir: string, o: KubeconfigOptions, name = 'kubeconfig'): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'test',
    clusters: [{ name: 'test-cluster', cluster: { server: o.server, ...o.cluster } }],
    users: [{ name: 'test-user', user: o.user ?? { token: TOKEN } }],
    contexts: [{ name: 'test', context: { cluster: 'test-cluster', user: 'test-user' } }],
  }));
  return file;
}

/** A fake API server over TLS with a kubeconfig in kubeadm's admin.conf shape (CA and client certificate inline). */
export interface AdminFakeApi {
  readonly pki: Pki;
  readonly api: FakeApi;
  readonly kubeconfig: string;
  close(): Promise<void>;
}

export async function startAdminFakeApi(): Promise<AdminFakeApi> {
  const pki = makePki();
  const api = await startFakeApi(pki);
  const b64 = (f: string) => fs.readFileSync(f).toString('base64');
  const kubeconfig = writeKubeconfig(pki.dir, {
    server: api.url,
    cluster: { 'certificate-authority-data': b64(pki.caCert) },
    user: { 'client-certificate-data': b64(pki.clientCert), 'client-key-data': b64(pki.clientKey) },
  });
  return {
    pki, api, kubeconfig,
    close: async () => { await api.close(); fs.rmSync(pki.dir, { recursive: true, force: true }); },
  };
}
