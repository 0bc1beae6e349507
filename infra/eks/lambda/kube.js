'use strict';
/**
 * The few Kubernetes API calls multinic's functions make, over node:https (no client library in the function's
 * package): JSON in, JSON out, the cluster's CA pinned. Authenticates with a bearer token made per request (an EKS
 * token lives 15 minutes; a drain can take longer) or, for tests against a local API server, a client certificate.
 */
const https = require('node:https');
const { eksToken, envCredentials } = require('./eks-token');

class KubeError extends Error {
  constructor(method, path, status, body) {
    super(`${method} ${path}: HTTP ${status}${body && body.message ? `: ${body.message}` : ''}`);
    this.status = status;
    this.body = body;
  }
}

/**
 * @param {{ server: string, ca: string, token?: () => string, cert?: string, key?: string, timeoutMs?: number }} cfg
 */
function kubeClient(cfg) {
  const base = new URL(cfg.server);
  /** @returns {Promise<{ status: number, body: any }>} */
  function raw(method, path, body, contentType = 'application/json') {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers = { Accept: 'application/json' };
    if (cfg.token) headers.Authorization = `Bearer ${cfg.token()}`;
    if (data) Object.assign(headers, { 'Content-Type': contentType, 'Content-Length': data.length });
    return new Promise((resolve, reject) => {
      const req = https.request({
        host: base.hostname, port: base.port || 443, path, method, headers, ca: cfg.ca,
        ...(cfg.cert ? { cert: cfg.cert, key: cfg.key } : {}),
        timeout: cfg.timeoutMs ?? 30000,
      }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed = text;
          try { parsed = text ? JSON.parse(text) : undefined; } catch { /* not JSON */ }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in ${cfg.timeoutMs ?? 30000} ms`)));
      req.on('error', reject);
      if (data) req.write(data);
      req.end();
    });
  }
  /** Like raw, but a status outside 2xx throws a KubeError (with .status). */
  async function call(method, path, body, contentType) {
    const r = await raw(method, path, body, contentType);
    if (r.status < 200 || r.status > 299) throw new KubeError(method, path, r.status, r.body);
    return r.body;
  }
  return { raw, call };
}

/** The client of a function deployed by multinic: CLUSTER_NAME, CLUSTER_ENDPOINT, CLUSTER_CA (base64 PEM), AWS_REGION. */
function clientFromEnv(env = process.env) {
  for (const k of ['CLUSTER_NAME', 'CLUSTER_ENDPOINT', 'CLUSTER_CA', 'AWS_REGION']) if (!env[k]) throw new Error(`environment variable ${k} is not set`);
  return kubeClient({
    server: env.CLUSTER_ENDPOINT,
    ca: Buffer.from(env.CLUSTER_CA, 'base64').toString('utf8'),
    token: () => eksToken({ clusterName: env.CLUSTER_NAME, region: env.AWS_REGION, credentials: envCredentials(env) }),
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

module.exports = { kubeClient, clientFromEnv, KubeError, sleep };
