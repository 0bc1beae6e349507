/**
 * The node provider: one node of the box is a network namespace whose links stand in for its ENIs, a private
 * mount namespace held by `boot-node.sh`, a cgroup subtree, and its own metadata server. This file makes and enters
 * them; `boot-node.sh` does what runs inside.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { VERSIONS } from '../../lib/versions';
import { type BoxNames, IMDS_PORT, MGMT } from '../box';
import { repoPath } from '../paths';
import type { BoxNode, BoxTopology } from '../topology';
import { daemon, must, run } from './exec';
import { cgroupMounts } from './host';
import { isHolder, listCgroups, listProcesses, pidsIn } from './discover';

/** The node's namespace, its primary interface on the management bridge, and one veth per ENI into its subnet's bridge. */
export function createNodeNetwork(names: BoxNames, node: BoxNode, topo: BoxTopology): void {
  const ns = names.nodeNs(node.name);
  const vpc = names.vpcNs;
  must('ip', ['netns', 'add', ns]);
  const batch = [
    `link set lo up`,
    `link add eth0 address ${node.mac} type veth peer name ${node.port} netns ${vpc}`,
    `addr add ${node.ip}/${MGMT.prefix} dev eth0`,
    `link set eth0 up`,
    `route add default via ${MGMT.gateway}`,
    // The kernel's names, down, as hot-attached ENIs appear; the ENI script renames them and brings them up.
    ...node.enis.map((e) => `link add ${e.kernelName} mtu ${topo.mtu} address ${e.mac} type veth peer name ${e.port} netns ${vpc}`),
  ];
  must('ip', ['-n', ns, '-batch', '-'], { input: batch.join('\n') + '\n' });
  const ports = [
    `link set ${node.port} master br-mgmt up`,
    ...node.enis.map((e) => `link set ${e.port} mtu ${topo.mtu} master ${e.bridge} up`),
  ];
  must('ip', ['-n', vpc, '-batch', '-'], { input: ports.join('\n') + '\n' });
}

/** The node's cgroup in every v1 hierarchy (the kubelet's cgroupRoot must exist in all), cpuset copied from the parent. */
export function createNodeCgroups(names: BoxNames, node: BoxNode): void {
  for (const h of cgroupMounts()) {
    const parts = names.nodeCgroup(node.name).split('/');
    let dir = h;
    for (const part of parts) {
      const parent = dir;
      dir = path.join(dir, part);
      if (!fs.existsSync(dir)) fs.mkdirSync(dir);
      for (const f of ['cpuset.cpus', 'cpuset.mems']) {
        const p = path.join(parent, f);
        const mine = path.join(dir, f);
        if (fs.existsSync(p) && fs.existsSync(mine) && fs.readFileSync(mine, 'utf8').trim() === '') fs.writeFileSync(mine, fs.readFileSync(p, 'utf8'));
      }
    }
  }
}

/** Starts the node's metadata server on its loopback (the ENI script's MULTINIC_IMDS_ENDPOINT). */
export function startImds(names: BoxNames, node: BoxNode): number {
  const dir = names.nodeDir(node.name);
  return daemon(names.cluster, 'nsenter', [`--net=/run/netns/${names.nodeNs(node.name)}`, process.execPath, repoPath('cluster', 'node', 'imds-server.js'),
    '--fixture', path.join(dir, 'imds.json'), '--host', '127.0.0.1', '--port', String(IMDS_PORT)],
  path.join(dir, 'imds.log'), { MULTINIC_BOX_NODE: node.name, MULTINIC_BOX_ROLE: 'imds' });
}

export interface BootOptions {
  readonly artifactsDir: string;
  readonly pauseTar: string;
  readonly kubeconfig: string;
  /** Boot without the ENI setup (run later with {@link runEniSetup}). @default false */
  readonly holdEniSetup?: boolean;
  /**
   * The cluster network the stand-in takes the place of: its CNI network name and the file in /etc/cni/net.d, as the
   * emitted Multus config names them (`clusterNetwork`, `readinessindicatorfile`).
   * @default - Calico's (`k8s-pod-network` in `10-calico.conflist`), the cluster network of flavour kubeadm
   */
  readonly clusterNetwork?: { readonly name: string; readonly conflist: string };
}

/**
 * Nodes to boot without their in-guest ENI setup (`MULTINIC_BOX_HOLD_ENI_SETUP`, comma-separated node names): a test
 * hook for the seed's node whose ENI had a MAC and no IPv4 address, and for readiness (test/cluster/seed-failures).
 * The node registers with its startup taint and keeps it until `<node dir>/eni-setup.sh` runs inside it.
 */
function heldEniSetup(): string[] {
  return (process.env.MULTINIC_BOX_HOLD_ENI_SETUP ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** Starts `boot-node.sh` in the node's network namespace and a new private mount namespace. */
export function bootNode(names: BoxNames, node: BoxNode, opts: BootOptions): number {
  const dir = names.nodeDir(node.name);
  const env: Record<string, string> = {
    NODE_NAME: node.name, NODE_DIR: dir, NODE_IP: node.ip, NODE_LABELS: node.labels.join(','), ART: opts.artifactsDir,
    ENI_SCRIPT: repoPath('infra', 'node', 'multinic-eni.sh'), IMDS_PORT: String(IMDS_PORT), PAUSE_TAR: opts.pauseTar,
    KUBECTL_KUBECONFIG: opts.kubeconfig, HOLD_DIR: path.join(dir, 'cgroup-hold'),
    HOLD_ENI_SETUP: opts.holdEniSetup || heldEniSetup().includes(node.name) ? '1' : '0',
    CLUSTER_NET_NAME: opts.clusterNetwork?.name ?? VERSIONS.calico.cniNetworkName,
    CLUSTER_NET_FILE: opts.clusterNetwork?.conflist ?? VERSIONS.calico.cniConfigFile,
  };
  const envFile = path.join(dir, 'boot.env');
  fs.writeFileSync(envFile, Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`).join('\n') + '\n');
  return daemon(names.cluster, 'nsenter', [`--net=/run/netns/${names.nodeNs(node.name)}`, 'unshare', '-m', '--propagation', 'private',
    'bash', repoPath('cluster', 'node', 'boot-node.sh'), envFile], path.join(dir, 'boot.log'), { MULTINIC_BOX_NODE: node.name, MULTINIC_BOX_ROLE: 'holder' });
}

/** The pid that holds the node's mount namespace, if it runs. */
export function holderPid(names: BoxNames, node: string): number | undefined {
  return listProcesses(names.cluster).find((p) => p.node === node && isHolder(p))?.pid;
}

/**
 * Stops a node as an instance that is terminated stops: every process of the node (its markers: the kubelet,
 * kube-proxy, containerd and its shims, the metadata server; and whatever runs in its cgroups: the pods' containers)
 * is SIGKILLed, again until none is left, but the holder of its namespaces, so `down` still finds and removes them.
 * Returns the pids still running after `boundMs` (none when all went well).
 */
export async function stopNode(names: BoxNames, node: string, boundMs = 10_000): Promise<number[]> {
  const holder = holderPid(names, node);
  const running = () => [...new Set([...listProcesses(names.cluster).filter((p) => p.node === node).map((p) => p.pid), ...pidsIn(listCgroups(names.nodeCgroup(node)))])]
    .filter((pid) => pid !== holder && pid !== process.pid);
  const deadline = Date.now() + boundMs;
  for (let left = running(); left.length > 0; left = running()) {
    if (Date.now() > deadline) return left;
    for (const pid of left) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return [];
}

/** Runs a command inside the node (its mount and network namespaces). */
export function inNode(names: BoxNames, node: string, cmd: string, args: readonly string[], timeoutMs = 60_000) {
  const pid = holderPid(names, node);
  if (pid === undefined) return { status: 1, stdout: '', stderr: `node ${node} is not running` };
  return run('nsenter', ['-t', String(pid), '-m', '-n', '--', cmd, ...args], { timeoutMs });
}

/** Runs the in-guest ENI setup inside a running node (for a node booted with `holdEniSetup`). */
export function runEniSetup(names: BoxNames, node: string) {
  const dir = names.nodeDir(node);
  return inNode(names, node, 'bash', ['-c', `"$0" >>"$1" 2>&1`, path.join(dir, 'eni-setup.sh'), path.join(dir, 'eni.log')], 120_000);
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
