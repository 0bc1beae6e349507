import * as fs from 'node:fs';
import * as net from 'node:net';
import { MultinicError } from '../../lib/errors';
import { KubeClient } from '../../lib/kube/client';
import type { KubeCredentials } from '../../lib/kube/kubeconfig';
import type { KubeNode } from '../../lib/kube/types';
import { makePki, startFakeApi, tls, TOKEN, type FakeApi, type Pki } from './fake-api-server';

let pki: Pki;
let api: FakeApi;
beforeAll(async () => {
  pki = makePki();
  api = await startFakeApi(pki);
});
afterAll(async () => {
  await api.close();
  fs.rmSync(pki.dir, { recursive: true, force: true });
});
beforeEach(() => {
  api.requests.length = 0;
  api.failWith = undefined;
  api.nodes = ['a', 'b', 'c', 'd', 'e'].map((n) => ({ metadata: { name: `node-${n}`, labels: { role: n === 'a' ? 'cp' : 'worker' } } }));
});

const creds = (extra: Partial<KubeCredentials> = {}): KubeCredentials =>
  ({ context: 'test', server: api.url, ca: fs.readFileSync(pki.caCert), insecureSkipTlsVerify: false, token: TOKEN, ...extra });

tls.describe('KubeClient over TLS', () => {
  test('lists page by page with limit and continue, reporting progress', async () => {
    // GIVEN five nodes WHEN listed two at a time
    const progress: Array<[number, number]> = [];
    const nodes = await new KubeClient(creds()).list<KubeNode>('/api/v1/nodes', {}, { pageSize: 2, onPage: (p, n) => progress.push([p, n]) });
    // THEN three pages, each continuing where the last stopped
    expect(nodes.map((n) => n.metadata.name)).toEqual(['node-a', 'node-b', 'node-c', 'node-d', 'node-e']);
    expect(api.requests).toEqual(['/api/v1/nodes?limit=2', '/api/v1/nodes?limit=2&continue=2', '/api/v1/nodes?limit=2&continue=4']);
    expect(progress).toEqual([[1, 2], [2, 4], [3, 5]]);
  });

  test('sends the selectors, URL-encoded', async () => {
    const nodes = await new KubeClient(creds()).list<KubeNode>('/api/v1/nodes', { labelSelector: 'role=worker', fieldSelector: undefined });
    expect(nodes).toHaveLength(4);
    expect(api.requests).toEqual(['/api/v1/nodes?labelSelector=role%3Dworker&limit=500']);
  });

  test('a client certificate signed by the cluster CA is accepted without a token', async () => {
    const c = creds({ token: undefined, cert: fs.readFileSync(pki.clientCert), key: fs.readFileSync(pki.clientKey) });
    expect((await new KubeClient(c).list<KubeNode>('/api/v1/nodes')).length).toBe(5);
  });

  test('a server certificate from another CA fails the TLS check with a clear error', async () => {
    const c = creds({ ca: fs.readFileSync(pki.otherCaCert) });
    await expect(new KubeClient(c).get('/api/v1/nodes')).rejects.toMatchObject({
      code: 'KUBE_TLS',
      message: expect.stringMatching(/^the TLS check of https:\/\/127\.0\.0\.1:\d+ failed \(\w+: .*\); the kubeconfig's certificate-authority\(-data\) must be the cluster CA \(kubeadm: \/etc\/kubernetes\/pki\/ca\.crt\)\.$/),
    });
  });

  test('insecure-skip-tls-verify accepts the unknown CA', async () => {
    const c = creds({ ca: fs.readFileSync(pki.otherCaCert), insecureSkipTlsVerify: true });
    expect((await new KubeClient(c).list<KubeNode>('/api/v1/nodes')).length).toBe(5);
  });

  test.each<[string, Partial<KubeCredentials>, { status: number; message: string } | undefined, string, RegExp]>([
    ['a wrong token', { token: 'bad' }, undefined, 'KUBE_UNAUTHORIZED',
      /^GET \/api\/v1\/nodes was refused \(401 Unauthorized: Unauthorized\); the credentials of context "test" are not accepted \(expired token or certificate\?\)\.$/],
    ['RBAC refusing the list', {}, { status: 403, message: 'nodes is forbidden: User "x" cannot list resource "nodes"' }, 'KUBE_FORBIDDEN',
      /^GET \/api\/v1\/nodes is forbidden \(403: nodes is forbidden: User "x" cannot list resource "nodes"\); the user of context "test" needs get\/list on nodes and pods\.$/],
    ['an expired continue token', {}, { status: 410, message: 'too old resource version' }, 'KUBE_EXPIRED',
      /^GET \/api\/v1\/nodes: the list changed too much while paging \(410 Gone: too old resource version\); run it again\.$/],
    ['a server error', {}, { status: 500, message: 'etcd down' }, 'KUBE_API_ERROR', /^GET \/api\/v1\/nodes failed \(HTTP 500: etcd down\)\.$/],
  ])('%s is an error with a stable code and the fix', async (_what, extra, failWith, code, message) => {
    api.failWith = failWith;
    await expect(new KubeClient(creds(extra)).get('/api/v1/nodes')).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
  });

  test('a path the server does not know is KUBE_NOT_FOUND', async () => {
    await expect(new KubeClient(creds()).get('/apis/nope')).rejects.toThrow(new MultinicError('KUBE_NOT_FOUND',
      'GET /apis/nope was not found (404: the server could not find the requested resource (/apis/nope)).'));
  });

  test('getText returns a pod log as text, with the query; a container not started is a 400 KUBE_API_ERROR', async () => {
    // GIVEN one log
    api.logs = { 'ns1/pod-a': 'line 1\nline 2\n' };
    const c = new KubeClient(creds());
    // WHEN read  THEN the exact text, and the container in the query
    expect(await c.getText('/api/v1/namespaces/ns1/pods/pod-a/log', { container: 'client' })).toBe('line 1\nline 2\n');
    expect(api.requests).toEqual(['/api/v1/namespaces/ns1/pods/pod-a/log?container=client']);
    await expect(c.getText('/api/v1/namespaces/ns1/pods/pod-b/log')).rejects.toMatchObject({
      code: 'KUBE_API_ERROR', message: 'GET /api/v1/namespaces/ns1/pods/pod-b/log failed (HTTP 400: container in pod "pod-b" is waiting to start: ContainerCreating).',
    });
  });
});

tls.describe('KubeClient failures before HTTP', () => {
  test('nothing listening: KUBE_UNREACHABLE names the server', async () => {
    // GIVEN a port that was free a moment ago
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const c: KubeCredentials = { context: 't', server: `https://127.0.0.1:${port}`, insecureSkipTlsVerify: false, token: TOKEN };
    await expect(new KubeClient(c).get('/api/v1/nodes')).rejects.toThrow(new MultinicError('KUBE_UNREACHABLE',
      `cannot reach the Kubernetes API at https://127.0.0.1:${port} (ECONNREFUSED); is the cluster up and the kubeconfig's server right? Behind Session Manager, start the port forward first (docs/deploy.md).`));
  });

  test('a server that never answers times out', async () => {
    const server = net.createServer(() => undefined);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const c: KubeCredentials = { context: 't', server: `http://127.0.0.1:${port}`, insecureSkipTlsVerify: false };
      await expect(new KubeClient(c, { timeoutMs: 200 }).get('/api/v1/nodes')).rejects.toMatchObject({ code: 'KUBE_UNREACHABLE', message: expect.stringContaining('(ETIMEDOUT)') });
    } finally {
      server.close();
    }
  });

  test('plain http servers work (tests, kubectl proxy), and a non-JSON answer is reported', async () => {
    const plain = await startFakeApi();
    try {
      const c: KubeCredentials = { context: 't', server: `${plain.url}/`, insecureSkipTlsVerify: false, token: TOKEN };
      plain.nodes = [{ metadata: { name: 'n1' } }];
      expect((await new KubeClient({ ...c, server: plain.url }).list<KubeNode>('/api/v1/nodes')).map((n) => n.metadata.name)).toEqual(['n1']);
    } finally {
      await plain.close();
    }
    const http = await import('node:http');
    const html = http.createServer((_q, r) => { r.writeHead(200); r.end('<html>'); });
    await new Promise<void>((r) => html.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(html.address() as net.AddressInfo).port}`;
      await expect(new KubeClient({ context: 't', server: url, insecureSkipTlsVerify: false }).get('/api/v1/nodes')).rejects.toThrow(
        new MultinicError('KUBE_API_ERROR', `GET /api/v1/nodes: the answer is not JSON (HTTP 200); is ${url} a Kubernetes API server?`));
    } finally {
      html.close();
    }
  });
});
