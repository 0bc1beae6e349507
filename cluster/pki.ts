/**
 * The box's certificates, made with openssl (EC P-256, one CA): the API server's serving certificate, the clients of
 * the control plane, kube-proxy and the admin, and per node a client certificate `CN=system:node:NAME,
 * O=system:nodes` (so the Node authoriser and NodeRestriction apply) and a serving certificate for the kubelet's
 * port (so `kubectl exec` and `logs` verify it). Made once per box and kept: a warm `up` makes only what is missing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { must } from './provider/exec';

export interface CertSpec {
  /** File base name: NAME.crt and NAME.key. */
  readonly name: string;
  readonly cn: string;
  readonly org?: string;
  readonly usage: 'server' | 'client' | 'both';
  readonly ips?: readonly string[];
  readonly dns?: readonly string[];
}

export class Pki {
  constructor(public readonly dir: string) {}

  public get caCert(): string { return path.join(this.dir, 'ca.crt'); }
  public get caKey(): string { return path.join(this.dir, 'ca.key'); }
  public get saKey(): string { return path.join(this.dir, 'sa.key'); }
  public get saPub(): string { return path.join(this.dir, 'sa.pub'); }
  public cert(name: string): string { return path.join(this.dir, `${name}.crt`); }
  public key(name: string): string { return path.join(this.dir, `${name}.key`); }

  /** The CA and the service-account key pair, when missing. */
  public ensureCa(): void {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    if (!fs.existsSync(this.caCert)) {
      this.ssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', this.caKey,
        '-out', this.caCert, '-days', '3650', '-subj', '/CN=multinic-box-ca', '-addext', 'basicConstraints=critical,CA:TRUE',
        '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature');
    }
    if (!fs.existsSync(this.saPub)) {
      this.ssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', this.saKey);
      this.ssl('pkey', '-in', this.saKey, '-pubout', '-out', this.saPub);
    }
  }

  /** A certificate signed by the CA, when missing or made for other names (the spec is kept beside it). */
  public ensure(spec: CertSpec): void {
    const specFile = path.join(this.dir, `${spec.name}.spec.json`);
    const want = JSON.stringify(spec);
    if (fs.existsSync(this.cert(spec.name)) && fs.existsSync(specFile) && fs.readFileSync(specFile, 'utf8') === want) return;
    const subj = `${spec.org !== undefined ? `/O=${spec.org}` : ''}/CN=${spec.cn}`;
    const csr = path.join(this.dir, `${spec.name}.csr`);
    const ext = path.join(this.dir, `${spec.name}.ext`);
    this.ssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', this.key(spec.name), '-out', csr, '-subj', subj);
    const eku = spec.usage === 'server' ? 'serverAuth' : spec.usage === 'client' ? 'clientAuth' : 'serverAuth,clientAuth';
    const sans = [...(spec.ips ?? []).map((ip) => `IP:${ip}`), ...(spec.dns ?? []).map((d) => `DNS:${d}`)];
    fs.writeFileSync(ext, [
      'basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', `extendedKeyUsage=${eku}`,
      ...(sans.length > 0 ? [`subjectAltName=${sans.join(',')}`] : []),
    ].join('\n') + '\n');
    this.ssl('x509', '-req', '-in', csr, '-CA', this.caCert, '-CAkey', this.caKey, '-CAcreateserial', '-days', '3650', '-out', this.cert(spec.name), '-extfile', ext);
    fs.rmSync(csr);
    fs.rmSync(ext);
    fs.writeFileSync(specFile, want);
  }

  private ssl(...args: string[]): void {
    must('openssl', args, { timeoutMs: 30_000 });
  }
}

/** A kubeconfig with one cluster, one user (client certificate) and one context, the files embedded by path. */
export function kubeconfigText(server: string, caFile: string, certFile: string, keyFile: string, user = 'user'): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: multinic-box',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority: ${caFile}`,
    'users:',
    `- name: ${user}`,
    '  user:',
    `    client-certificate: ${certFile}`,
    `    client-key: ${keyFile}`,
    'contexts:',
    '- name: multinic-box',
    '  context:',
    '    cluster: multinic-box',
    `    user: ${user}`,
    'current-context: multinic-box',
    '',
  ].join('\n');
}
