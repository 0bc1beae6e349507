/**
 * Reads from a box's API server in-process, over HTTPS with the admin client certificate of the box's kubeconfig and
 * one kept-alive connection, for `up`'s polls (API readiness, pod CIDRs, the final wait). Measured on 2 cores: a
 * kubectl process costs 0.2-0.4 s of CPU at each look, and the final wait took four of them per round while the
 * cluster it waited for needed the same cores. Writes and anything kubectl does better (apply, events) stay kubectl.
 */
import * as fs from 'node:fs';
import * as https from 'node:https';
import { loadKubeconfig } from '../lib/kube/kubeconfig';
import type { KubectlTarget } from './kubectl';

interface Client { readonly server: URL; readonly agent: https.Agent; readonly mtimeMs: number }
const clients = new Map<string, Client>();

/** The server and credentials of the box's kubeconfig (cluster/pki.ts `kubeconfigText`), read as `verify --k8s` reads one. */
function client(kubeconfig: string): Client {
  const mtimeMs = fs.statSync(kubeconfig).mtimeMs;
  const cached = clients.get(kubeconfig);
  if (cached !== undefined && cached.mtimeMs === mtimeMs) return cached;
  cached?.agent.destroy();
  const creds = loadKubeconfig(kubeconfig);
  const agent = new https.Agent({ keepAlive: true, maxSockets: 4, ca: creds.ca, cert: creds.cert, key: creds.key });
  const c = { server: new URL(creds.server), agent, mtimeMs };
  clients.set(kubeconfig, c);
  return c;
}

/** GET `path` (e.g. `/api/v1/nodes`); the parsed JSON body, or an error with the status and the server's message. */
export function apiGet<T>(t: KubectlTarget, path: string, timeoutMs = 10_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let c: Client;
    try { c = client(t.names.kubeconfig); } catch (e) { reject(e as Error); return; }
    const req = https.get(new URL(path, c.server), { agent: c.agent, timeout: timeoutMs, headers: { Accept: 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) >= 300) { reject(new Error(`GET ${path}: ${res.statusCode} ${body.slice(0, 500)}`)); return; }
        try { resolve(JSON.parse(body) as T); } catch (e) { reject(new Error(`GET ${path}: ${(e as Error).message}`)); }
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

/** GET a path that answers plain text (`/readyz`): whether it answered 200. */
export function apiOk(t: KubectlTarget, path: string, timeoutMs = 5_000): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    let c: Client;
    try { c = client(t.names.kubeconfig); } catch { resolve(false); return; }
    const req = https.get(new URL(path, c.server), { agent: c.agent, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
      res.on('error', () => resolve(false));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}
