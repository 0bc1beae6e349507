/**
 * The control plane in its own network namespace on the management network: etcd, kube-apiserver (Node and RBAC
 * authorisation, NodeRestriction and the default admission plugins, advertising a non-loopback address the nodes
 * reach), kube-controller-manager (allocates each node's pod CIDR, signs with the box's CA) and kube-scheduler; the
 * registry the nodes pull the intent's images from; and a loopback forwarder so that a kubeconfig works from the
 * user's own shell.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { API_PORT, type BoxNames, MGMT, REGISTRY_PORT } from '../box';
import { kubeconfigText, type Pki } from '../pki';
import { daemon, waitFor } from '../provider/exec';
import { listProcesses } from '../provider/discover';
import { apiOk } from '../api';
import type { Action, UpContext } from './context';

const SERVICE_FIRST_IP = (serviceCidr: string): string => {
  const [a, b, c, d] = serviceCidr.split('/')[0].split('.').map(Number);
  return [a, b, c, d + 1].join('.');
};

/** Every certificate of the control plane and the nodes. */
export function ensureCertificates(pki: Pki, ctx: UpContext): void {
  pki.ensureCa();
  pki.ensure({
    name: 'apiserver', cn: 'kube-apiserver', usage: 'server', ips: [MGMT.controlPlane, '127.0.0.1', SERVICE_FIRST_IP(ctx.topo.serviceCidr)],
    dns: ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', 'localhost'],
  });
  pki.ensure({ name: 'apiserver-kubelet-client', cn: 'kube-apiserver-kubelet-client', org: 'system:masters', usage: 'client' });
  pki.ensure({ name: 'admin', cn: 'multinic-box-admin', org: 'system:masters', usage: 'client' });
  pki.ensure({ name: 'controller-manager', cn: 'system:kube-controller-manager', usage: 'client' });
  pki.ensure({ name: 'scheduler', cn: 'system:kube-scheduler', usage: 'client' });
  pki.ensure({ name: 'kube-proxy', cn: 'system:kube-proxy', usage: 'client' });
  for (const node of ctx.topo.nodes) {
    pki.ensure({ name: `node-${node.name}`, cn: `system:node:${node.name}`, org: 'system:nodes', usage: 'client' });
    pki.ensure({ name: `node-${node.name}-serving`, cn: `system:node:${node.name}`, org: 'system:nodes', usage: 'server', ips: [node.ip], dns: [node.name] });
  }
}

function cpDaemon(names: BoxNames, role: string, cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): void {
  daemon(names.cluster, 'nsenter', [`--net=/run/netns/${names.cpNs}`, cmd, ...args], path.join(names.cpDir, `${role}.log`), { ...env, MULTINIC_BOX_ROLE: role });
}

/** The loopback port of the forwarder, read back from the kubeconfig of a running box. */
function forwarderPort(names: BoxNames): number | undefined {
  if (!listProcesses(names.cluster).some((p) => p.role === 'forwarder')) return undefined;
  try {
    const m = /server: https:\/\/127\.0\.0\.1:(\d+)/.exec(fs.readFileSync(names.kubeconfig, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A listening socket on 127.0.0.1 in the caller's (the user's) network namespace, handed as fd 3 to a small relay
 * that runs in the control plane's namespace: a socket keeps the namespace it was made in.
 */
async function startForwarder(names: BoxNames): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((ok, fail) => { server.once('error', fail); server.listen(0, '127.0.0.1', () => ok()); });
  const port = (server.address() as net.AddressInfo).port;
  const fd = (server as unknown as { _handle: { fd: number } })._handle.fd;
  const relay = `const net=require('net');net.createServer((c)=>{const s=net.connect(${API_PORT},'${MGMT.controlPlane}');` +
    `c.pipe(s);s.pipe(c);c.on('error',()=>s.destroy());s.on('error',()=>c.destroy());}).listen({fd:3});`;
  const { spawn } = await import('node:child_process');
  const log = fs.openSync(path.join(names.cpDir, 'forwarder.log'), 'a');
  const child = spawn('nsenter', [`--net=/run/netns/${names.cpNs}`, process.execPath, '-e', relay], {
    detached: true, stdio: ['ignore', log, log, fd],
    env: { PATH: process.env.PATH, MULTINIC_BOX: names.cluster, MULTINIC_BOX_ROLE: 'forwarder' },
  });
  child.unref();
  fs.closeSync(log);
  server.close();
  return port;
}

export const controlPlaneAction: Action = {
  title: 'Starting the control plane',
  async execute(ctx: UpContext) {
    const { names, pki, topo } = ctx;
    const art = ctx.artifacts!;
    fs.mkdirSync(names.cpDir, { recursive: true });
    ensureCertificates(pki, ctx);
    const server = `https://${MGMT.controlPlane}:${API_PORT}`;
    fs.writeFileSync(names.innerKubeconfig, kubeconfigText(server, pki.caCert, pki.cert('admin'), pki.key('admin'), 'admin'));
    const kc = (n: string, user: string) => {
      const f = path.join(names.cpDir, `${n}.kubeconfig`);
      fs.writeFileSync(f, kubeconfigText(server, pki.caCert, pki.cert(n), pki.key(n), user));
      return f;
    };
    const running = listProcesses(names.cluster);
    const has = (role: string) => running.some((p) => p.role === role);
    ctx.running = has('apiserver');
    const cert = path.join(names.cpDir, 'certs');
    fs.mkdirSync(cert, { recursive: true });
    if (!has('etcd')) {
      cpDaemon(names, 'etcd', art.bin('etcd'), ['--name', 'box', '--data-dir', path.join(names.cpDir, 'etcd'),
        '--listen-client-urls', 'http://127.0.0.1:2379', '--advertise-client-urls', 'http://127.0.0.1:2379',
        '--listen-peer-urls', 'http://127.0.0.1:2380', '--initial-advertise-peer-urls', 'http://127.0.0.1:2380',
        '--initial-cluster', 'box=http://127.0.0.1:2380', '--unsafe-no-fsync', '--log-level', 'warn']);
    }
    if (!has('apiserver')) {
      cpDaemon(names, 'apiserver', art.bin('kube-apiserver'), [
        '--etcd-servers=http://127.0.0.1:2379', `--advertise-address=${MGMT.controlPlane}`, '--bind-address=0.0.0.0', `--secure-port=${API_PORT}`,
        `--service-cluster-ip-range=${topo.serviceCidr}`, '--authorization-mode=Node,RBAC', '--enable-admission-plugins=NodeRestriction',
        `--client-ca-file=${pki.caCert}`, `--tls-cert-file=${pki.cert('apiserver')}`, `--tls-private-key-file=${pki.key('apiserver')}`,
        `--kubelet-client-certificate=${pki.cert('apiserver-kubelet-client')}`, `--kubelet-client-key=${pki.key('apiserver-kubelet-client')}`,
        `--kubelet-certificate-authority=${pki.caCert}`, '--kubelet-preferred-address-types=InternalIP',
        `--service-account-key-file=${pki.saPub}`, `--service-account-signing-key-file=${pki.saKey}`,
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local', '--allow-privileged=true', `--cert-dir=${cert}`,
        '--profiling=false', '--v=1',
      ]);
    }
    if (!has('controller-manager')) {
      cpDaemon(names, 'controller-manager', art.bin('kube-controller-manager'), [
        `--kubeconfig=${kc('controller-manager', 'system:kube-controller-manager')}`, '--use-service-account-credentials',
        `--service-account-private-key-file=${pki.saKey}`, `--root-ca-file=${pki.caCert}`,
        `--cluster-signing-cert-file=${pki.caCert}`, `--cluster-signing-key-file=${pki.caKey}`,
        '--allocate-node-cidrs', `--cluster-cidr=${topo.podCidr}`, '--node-cidr-mask-size=24', `--service-cluster-ip-range=${topo.serviceCidr}`,
        '--leader-elect=false', '--bind-address=127.0.0.1', `--cert-dir=${cert}`, '--profiling=false',
      ]);
    }
    if (!has('scheduler')) {
      cpDaemon(names, 'scheduler', art.bin('kube-scheduler'), [
        `--kubeconfig=${kc('scheduler', 'system:kube-scheduler')}`, '--leader-elect=false', '--bind-address=127.0.0.1', `--cert-dir=${cert}`, '--profiling=false',
      ]);
    }
    if (!has('registry')) {
      // The build's read-only config over its registry storage, on the management network.
      cpDaemon(names, 'registry', art.registry, ['serve', art.registryConfig], { REGISTRY_HTTP_ADDR: `${MGMT.controlPlane}:${REGISTRY_PORT}` });
    }
    let port = forwarderPort(names);
    if (port === undefined) port = await startForwarder(names);
    fs.writeFileSync(names.kubeconfig, kubeconfigText(`https://127.0.0.1:${port}`, pki.caCert, pki.cert('admin'), pki.key('admin'), 'admin'));
    ctx.facts.kubeconfig = names.kubeconfig;
    await waitFor('the API server /readyz', 60_000, async () => ((await apiOk(ctx, '/readyz')) ? true : undefined), 100);
    return ctx.running ? 'already running' : `API server ready at ${server} (from your shell: ${names.kubeconfig})`;
  },
};
