/**
 * The functions' Kubernetes client (infra/eks/lambda/kube.js) over real TLS: a local HTTPS server with a certificate
 * from a throwaway CA (openssl). It must pin the cluster's CA, send a fresh bearer token on every request, and turn
 * an error status into an error that carries it. Its calls against a real API server: test/cluster/eks.test.ts.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const kube = require('../../../../infra/eks/lambda/kube.js');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-kube-tls-'));
const f = (n: string) => path.join(dir, n);
function ca(name: string): void {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', f(`${name}.key`), '-out', f(`${name}.crt`), '-days', '1', '-subj', `/CN=${name}`, '-addext', 'basicConstraints=critical,CA:TRUE'], { stdio: 'pipe' });
}
ca('ca');
ca('other-ca');
fs.writeFileSync(f('ext'), 'subjectAltName=IP:127.0.0.1\n');
execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=api'], { stdio: 'pipe' });
execFileSync('openssl', ['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-set_serial', '7', '-days', '1', '-out', f('server.crt'), '-extfile', f('ext')], { stdio: 'pipe' });
const read = (n: string) => fs.readFileSync(f(n), 'utf8');

const seen: Array<{ method?: string; url?: string; auth?: string; type?: string; body: string }> = [];
const server = https.createServer({ key: read('server.key'), cert: read('server.crt') }, (req, res) => {
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', () => {
    seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, type: req.headers['content-type'], body });
    res.setHeader('Content-Type', 'application/json');
    if (req.url === '/forbidden') { res.statusCode = 403; res.end(JSON.stringify({ kind: 'Status', message: 'nodes is forbidden' })); return; }
    res.end(JSON.stringify({ ok: true, method: req.method }));
  });
});
let server_: string;
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  server_ = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => { server.close(); fs.rmSync(dir, { recursive: true, force: true }); });
beforeEach(() => { seen.length = 0; });

describe('kube client', () => {
  test('JSON in and out, the content type given (a strategic merge patch), a fresh token per request', async () => {
    let n = 0;
    const c = kube.kubeClient({ server: server_, ca: read('ca.crt'), token: () => `t${++n}` });
    expect(await c.call('GET', '/api/v1/nodes')).toEqual({ ok: true, method: 'GET' });
    await c.call('PATCH', '/api/v1/nodes/n1', { spec: { unschedulable: true } }, 'application/strategic-merge-patch+json');
    expect(seen.map((s) => [s.method, s.url, s.auth, s.type, s.body])).toEqual([
      ['GET', '/api/v1/nodes', 'Bearer t1', undefined, ''],
      ['PATCH', '/api/v1/nodes/n1', 'Bearer t2', 'application/strategic-merge-patch+json', '{"spec":{"unschedulable":true}}'],
    ]);
  });

  test('an error status is an error with the status and the API\'s message; raw() returns it instead', async () => {
    const c = kube.kubeClient({ server: server_, ca: read('ca.crt'), token: () => 't' });
    await expect(c.call('GET', '/forbidden')).rejects.toMatchObject({ status: 403, message: 'GET /forbidden: HTTP 403: nodes is forbidden' });
    expect(await c.raw('GET', '/forbidden')).toEqual({ status: 403, body: { kind: 'Status', message: 'nodes is forbidden' } });
  });

  test('a server whose certificate the cluster CA did not sign is refused, and nothing is sent to it', async () => {
    const c = kube.kubeClient({ server: server_, ca: read('other-ca.crt'), token: () => 'secret-token' });
    await expect(c.call('GET', '/api/v1/nodes')).rejects.toThrow(/certificate/);
    expect(seen).toEqual([]);
  });

  test('from a function\'s environment: the cluster CA from CLUSTER_CA, an EKS token for CLUSTER_NAME', async () => {
    const env = {
      CLUSTER_NAME: 'multinic-lab', CLUSTER_ENDPOINT: server_, CLUSTER_CA: Buffer.from(read('ca.crt')).toString('base64'), AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'session',
    };
    await kube.clientFromEnv(env).call('GET', '/version');
    const token = seen[0].auth!.replace(/^Bearer /, '');
    expect(token.startsWith('k8s-aws-v1.')).toBe(true);
    const url = new URL(Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString('utf8'));
    expect(url.host).toBe('sts.eu-west-1.amazonaws.com');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^AKIDEXAMPLE\/\d{8}\/eu-west-1\/sts\/aws4_request$/);
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe('session');
    const { CLUSTER_CA: _omit, ...missing } = env;
    expect(() => kube.clientFromEnv(missing)).toThrow('environment variable CLUSTER_CA is not set');
  });
});
