/**
 * cluster/api.ts against a real HTTPS server on loopback that demands a client certificate, with certificates made by
 * the box's own Pki (openssl) and a kubeconfig written as `up` writes it.
 */
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { apiGet, apiOk } from '../../cluster/api';
import { BoxNames } from '../../cluster/box';
import { kubeconfigText, Pki } from '../../cluster/pki';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-api-test-'));
const names = new BoxNames('apitest', tmp);
const pki = new Pki(path.join(tmp, 'pki'));
let server: https.Server;
const sockets = new Set<Socket>();

function listen(): Promise<number> {
  server = https.createServer({
    key: fs.readFileSync(pki.key('apiserver')), cert: fs.readFileSync(pki.cert('apiserver')), ca: fs.readFileSync(pki.caCert),
    requestCert: true, rejectUnauthorized: true,
  }, (req, res) => {
    const cn = (req.socket as TLSSocket).getPeerCertificate().subject?.CN;
    if (req.url === '/api/v1/nodes') { res.setHeader('Content-Type', 'application/json'); res.end(JSON.stringify({ items: [{ metadata: { name: 'n1' } }], seenBy: cn })); return; }
    if (req.url === '/readyz') { res.end('ok'); return; }
    if (req.url === '/livez') { res.statusCode = 500; res.end('[-]etcd failed'); return; }
    if (req.url === '/slow') return; // never answers
    if (req.url === '/garbage') { res.end('{not json'); return; }
    res.statusCode = 404;
    res.end(JSON.stringify({ kind: 'Status', message: 'the server could not find the requested resource' }));
  });
  server.on('connection', (d) => { const s = d as Socket; sockets.add(s); s.on('close', () => sockets.delete(s)); });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok((server.address() as AddressInfo).port)));
}

function writeKubeconfig(port: number): void {
  fs.mkdirSync(names.dir, { recursive: true });
  fs.writeFileSync(names.kubeconfig, kubeconfigText(`https://127.0.0.1:${port}`, pki.caCert, pki.cert('admin'), pki.key('admin'), 'admin'));
}

beforeAll(async () => {
  pki.ensureCa();
  pki.ensure({ name: 'apiserver', cn: 'kube-apiserver', usage: 'server', ips: ['127.0.0.1'] });
  pki.ensure({ name: 'admin', cn: 'multinic-box-admin', org: 'system:masters', usage: 'client' });
  writeKubeconfig(await listen());
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((ok) => server.close(ok));
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('apiGet', () => {
  test('reads JSON with the kubeconfig\'s client certificate, verifying the server against its CA', async () => {
    const r = await apiGet<{ items: { metadata: { name: string } }[]; seenBy: string }>({ names }, '/api/v1/nodes');
    expect(r.items.map((n) => n.metadata.name)).toEqual(['n1']);
    expect(r.seenBy).toBe('multinic-box-admin');
  });

  test('a non-2xx answer rejects with the path, the status and the server\'s message', async () => {
    await expect(apiGet({ names }, '/api/v1/nope')).rejects.toThrow(/GET \/api\/v1\/nope: 404 .*could not find the requested resource/);
  });

  test('a body that is not JSON rejects naming the path', async () => {
    await expect(apiGet({ names }, '/garbage')).rejects.toThrow(/GET \/garbage: /);
  });

  test('no answer within the bound rejects naming the path and the bound', async () => {
    await expect(apiGet({ names }, '/slow', 300)).rejects.toThrow('GET /slow: no answer within 300 ms');
  });

  test('a missing kubeconfig rejects (up polls again) rather than throwing synchronously', async () => {
    await expect(apiGet({ names: new BoxNames('nobox', tmp) }, '/api/v1/nodes')).rejects.toThrow(/ENOENT/);
  });

  test('a rewritten kubeconfig (a new forwarder port) is read again', async () => {
    const old = server;
    const oldPort = (old.address() as AddressInfo).port;
    const port = await listen();
    expect(port).not.toBe(oldPort);
    // a different mtime even on a coarse clock
    writeKubeconfig(port);
    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(names.kubeconfig, later, later);
    await new Promise((ok) => old.close(ok));
    for (const s of sockets) if (s.localPort === oldPort) s.destroy();
    expect((await apiGet<{ items: unknown[] }>({ names }, '/api/v1/nodes')).items).toHaveLength(1);
  });
});

describe('apiOk', () => {
  test('true for a 200, false for a 500, false for a server that is not there', async () => {
    expect(await apiOk({ names }, '/readyz')).toBe(true);
    expect(await apiOk({ names }, '/livez')).toBe(false);
    expect(await apiOk({ names: new BoxNames('nobox', tmp) }, '/readyz')).toBe(false);
  });

  test('false when the server does not answer within the bound', async () => {
    expect(await apiOk({ names }, '/slow', 300)).toBe(false);
  });
});
