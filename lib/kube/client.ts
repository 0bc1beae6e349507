/**
 * A small read-only Kubernetes API client over node's http/https: GET JSON with the kubeconfig's credentials, and
 * list with pagination (`limit` / `continue`). No dependency beyond node; `http://` servers work too (tests, or
 * `kubectl proxy`).
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { MultinicError } from '../errors';
import type { KubeCredentials } from './kubeconfig';
import type { KubeList } from './types';

export interface KubeClientOptions {
  /** Milliseconds a request may take before it is abandoned. @default 30000 */
  readonly timeoutMs?: number;
}

export interface ListOptions {
  /** Items per page (`limit`). @default 500 (kubectl's chunk size) */
  readonly pageSize?: number;
  /** Called after each page with the 1-based page number and items so far. */
  readonly onPage?: (page: number, total: number) => void;
}

const TLS_CODES = /^(CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_TLS_|ERR_SSL_)/;

/** Read-only API access with one set of credentials. */
export class KubeClient {
  private readonly base: URL;
  private readonly timeoutMs: number;

  constructor(private readonly creds: KubeCredentials, opts: KubeClientOptions = {}) {
    this.base = new URL(creds.server);
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  /** GETs `path` (e.g. `/api/v1/nodes`) with `query` and parses the JSON body. */
  public async get<T>(path: string, query: Readonly<Record<string, string | number | undefined>> = {}): Promise<T> {
    const url = this.url(path, query);
    const { status, body } = await this.request(url);
    if (status >= 200 && status < 300) {
      try {
        return JSON.parse(body) as T;
      } catch {
        throw new MultinicError('KUBE_API_ERROR', `GET ${url.pathname}: the answer is not JSON (HTTP ${status}); is ${this.creds.server} a Kubernetes API server?`);
      }
    }
    throw this.statusError(url, status, body);
  }

  /**
   * GETs `path` as text (a pod's log: `/api/v1/namespaces/NS/pods/POD/log`). Errors as `get`.
   * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#get-read-log-of-the-specified-pod
   */
  public async getText(path: string, query: Readonly<Record<string, string | number | undefined>> = {}): Promise<string> {
    const url = this.url(path, query);
    const { status, body } = await this.request(url, 'text/plain, */*');
    if (status >= 200 && status < 300) return body;
    throw this.statusError(url, status, body);
  }

  private url(path: string, query: Readonly<Record<string, string | number | undefined>>): URL {
    const url = new URL(this.base.pathname.replace(/\/$/, '') + path, this.base);
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    return url;
  }

  /** Every item of a list, page by page (`limit` and `continue`). */
  public async list<T>(path: string, query: Readonly<Record<string, string | undefined>> = {}, opts: ListOptions = {}): Promise<T[]> {
    const items: T[] = [];
    let token: string | undefined;
    let page = 0;
    do {
      const r = await this.get<KubeList<T>>(path, { ...query, limit: opts.pageSize ?? 500, continue: token });
      items.push(...(r.items ?? []));
      page++;
      opts.onPage?.(page, items.length);
      token = r.metadata?.continue || undefined;
    } while (token);
    return items;
  }

  private request(url: URL, accept = 'application/json'): Promise<{ status: number; body: string }> {
    const c = this.creds;
    const headers: Record<string, string> = { Accept: accept, 'User-Agent': 'multinic' };
    if (c.token) headers.Authorization = `Bearer ${c.token}`;
    const secure = url.protocol === 'https:';
    const options: https.RequestOptions = secure
      ? { headers, ca: c.ca, cert: c.cert, key: c.key, rejectUnauthorized: !c.insecureSkipTlsVerify, timeout: this.timeoutMs }
      : { headers, timeout: this.timeoutMs };
    return new Promise((resolve, reject) => {
      const req = (secure ? https : http).get(url, options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (e) => reject(this.networkError(e)));
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      req.on('error', (e) => reject(this.networkError(e)));
    });
  }

  private networkError(e: Error): MultinicError {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (TLS_CODES.test(code)) {
      return new MultinicError('KUBE_TLS', `the TLS check of ${this.creds.server} failed (${code}: ${e.message}); the kubeconfig's certificate-authority(-data) must be the cluster CA (kubeadm: /etc/kubernetes/pki/ca.crt).`);
    }
    return new MultinicError('KUBE_UNREACHABLE', `cannot reach the Kubernetes API at ${this.creds.server} (${code || e.message}); is the cluster up and the kubeconfig's server right? Behind Session Manager, start the port forward first (docs/deploy.md).`);
  }

  private statusError(url: URL, status: number, body: string): MultinicError {
    let message = '';
    try {
      message = (JSON.parse(body) as { message?: string }).message ?? '';
    } catch {
      message = body.slice(0, 200);
    }
    const what = `GET ${url.pathname}`;
    const detail = message ? `: ${message}` : '';
    switch (status) {
      case 401:
        return new MultinicError('KUBE_UNAUTHORIZED', `${what} was refused (401 Unauthorized${detail}); the credentials of context "${this.creds.context}" are not accepted (expired token or certificate?).`);
      case 403:
        return new MultinicError('KUBE_FORBIDDEN', `${what} is forbidden (403${detail}); the user of context "${this.creds.context}" needs get/list on nodes and pods.`);
      case 404:
        return new MultinicError('KUBE_NOT_FOUND', `${what} was not found (404${detail}).`);
      case 410:
        return new MultinicError('KUBE_EXPIRED', `${what}: the list changed too much while paging (410 Gone${detail}); run it again.`);
      default:
        return new MultinicError('KUBE_API_ERROR', `${what} failed (HTTP ${status}${detail}).`);
    }
  }
}
