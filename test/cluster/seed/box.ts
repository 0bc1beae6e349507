/**
 * What the seed tests (test/cluster/seed-*.test.ts) need from the local cluster, behind one small interface so the
 * scenarios read as the issue states them and only this file knows how the box is driven.
 *
 * The box is driven through its own command line (`npm run cluster -- up|down`, docs/local-cluster.md): the same
 * commands docs/seed-walkthrough.md tells a user to type. Nodes are entered through their namespaces, found from the
 * box's naming (cluster/box.ts: network namespace `mnb-<cluster>-n-<node>`; a process of the node carries
 * `MULTINIC_BOX=<cluster>` and shares the node's mount namespace).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

export const REPO = join(__dirname, '..', '..', '..');

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A bounded command; never throws. */
export function run(cmd: string, args: readonly string[], opts: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string } = {}): RunResult {
  const r = spawnSync(cmd, [...args], {
    input: opts.input, encoding: 'utf8', timeout: opts.timeoutMs ?? 60_000, killSignal: 'SIGKILL',
    env: opts.env ?? process.env, cwd: opts.cwd ?? REPO, maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? r.error?.message ?? '' };
}

export interface SeedBoxOptions {
  /** Cluster name (one per suite file, so files never share or tear down each other's box). */
  readonly name: string;
  /** Path of the intent the box runs. */
  readonly intent: string;
  /** Worker nodes booted without multinic's in-guest ENI setup (released later with `releaseEniSetup`). */
  readonly holdEniSetup?: readonly string[];
}

export interface SeedBox {
  readonly name: string;
  readonly intent: string;
  readonly kubeconfig: string;
  /** Worker node names, sorted. */
  readonly workers: readonly string[];
  /** `kubectl` against the box, bounded. */
  kubectl(args: readonly string[], opts?: { input?: string; timeoutMs?: number }): RunResult;
  /** `multinic <args>` (the built CLI) with the box's kubeconfig. */
  multinic(args: readonly string[]): RunResult;
  /** A shell script inside a node: its network and mount namespaces (its /etc/cni, /var/lib/cni, links). */
  onNode(node: string, script: string): RunResult;
  /** Runs the node's held-back in-guest ENI setup now. */
  releaseEniSetup(node: string): RunResult;
  /** Stops a node's kubelet and deletes its Node object, as when an instance is terminated. */
  removeNode(node: string): RunResult;
  down(): RunResult;
}

/** `npm run cluster -- ARGS`. */
function cluster(args: readonly string[], timeoutMs = 300_000): RunResult {
  return run('npm', ['run', '--silent', 'cluster', '--', ...args], { timeoutMs });
}

/** Why the box cannot run here, or undefined when it can. Checked once, before any suite is defined. */
export function boxUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'the local cluster needs root (network and mount namespaces)';
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  if (!pkg.scripts?.cluster) return 'the local cluster (npm run cluster, docs/local-cluster.md) is not in this tree';
  const probe = cluster(['check'], 120_000);
  if (probe.status !== 0) return `the local cluster cannot run here: ${(probe.stderr || probe.stdout).trim().split('\n').slice(-3).join(' ')}`;
  return undefined;
}

/** The box's `state.json` path (cluster/box.ts: BOX_ROOT/<cluster>/). */
function boxDir(name: string): string {
  return join(process.env.MULTINIC_BOX_ROOT ?? '/var/tmp/multinic-box', name);
}

/** The pid of a process of `node` (same mount namespace as the node), found by the box's marker and network namespace. */
function nodePid(box: string, node: string): number | undefined {
  const ns = `/run/netns/mnb-${box}-n-${node}`;
  if (!existsSync(ns)) return undefined;
  const want = run('stat', ['-L', '-c', '%i', ns]).stdout.trim();
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!readFileSync(`/proc/${p}/environ`, 'utf8').split('\0').includes(`MULTINIC_BOX=${box}`)) continue;
      if (run('stat', ['-L', '-c', '%i', `/proc/${p}/ns/net`]).stdout.trim() === want && readFileSync(`/proc/${p}/comm`, 'utf8').trim() === 'kubelet') return Number(p);
    } catch {
      // the process ended while we looked
    }
  }
  return undefined;
}

/** Brings a box up for one suite file; throws with the box's own output when it does not come up. */
export function upSeedBox(opts: SeedBoxOptions): SeedBox {
  const hold = (opts.holdEniSetup ?? []).flatMap((n) => ['--hold-eni-setup', n]);
  const up = cluster(['up', '--name', opts.name, '-i', opts.intent, ...hold], 600_000);
  if (up.status !== 0) {
    cluster(['down', '--name', opts.name], 180_000);
    throw new Error(`npm run cluster -- up failed (exit ${up.status}):\n${(up.stderr || up.stdout).slice(-4000)}`);
  }
  const kubeconfig = join(boxDir(opts.name), 'kubeconfig');
  const env = { ...process.env, KUBECONFIG: kubeconfig };
  const kubectl = (args: readonly string[], o: { input?: string; timeoutMs?: number } = {}) => run('kubectl', args, { ...o, env });
  const workers = (JSON.parse(kubectl(['get', 'nodes', '-o', 'json']).stdout || '{"items":[]}') as { items: Array<{ metadata: { name: string; labels?: Record<string, string> } }> })
    .items.filter((n) => !('node-role.kubernetes.io/control-plane' in (n.metadata.labels ?? {}))).map((n) => n.metadata.name).sort();
  const onNode = (node: string, script: string) => {
    const pid = nodePid(opts.name, node);
    if (pid === undefined) return { status: 1, stdout: '', stderr: `no running kubelet of node ${node} in box ${opts.name}` };
    return run('nsenter', ['-t', String(pid), '-n', '-m', '--', 'sh', '-c', script], { timeoutMs: 60_000 });
  };
  return {
    name: opts.name, intent: opts.intent, kubeconfig, workers,
    kubectl,
    multinic: (args) => run('node', [join(REPO, 'build', 'bin', 'multinic.js'), ...args], { env, timeoutMs: 120_000 }),
    onNode,
    releaseEniSetup: (node) => cluster(['eni-setup', '--name', opts.name, node], 120_000),
    removeNode: (node) => cluster(['remove-node', '--name', opts.name, node], 180_000),
    down: () => cluster(['down', '--name', opts.name], 180_000),
  };
}

/**
 * The intent the box runs for the seed experiments: the default intent as it is on a kernel with ipvlan (the VPC
 * rule on, as on AWS), or its macvlan variant with `spec.platform: generic` (the VPC rule off) where this kernel has
 * no ipvlan. Written to a temporary file; returns its path and which variant it is.
 */
export function seedIntent(kernelHasIpvlan: boolean, source = join(REPO, 'network-intent.yaml')): { file: string; variant: 'ipvlan' | 'macvlan' } {
  const doc = parse(readFileSync(source, 'utf8')) as { spec: { platform?: string; networks?: Array<Record<string, unknown>> } };
  if (!kernelHasIpvlan) {
    doc.spec = { platform: 'generic', ...doc.spec };
    doc.spec.platform = 'generic';
    for (const n of doc.spec.networks ?? []) {
      if (n.type === 'ipvlan') Object.assign(n, { type: 'macvlan', mode: 'bridge' });
    }
  }
  const file = join(mkdtempSync(join(tmpdir(), 'multinic-seed-intent-')), 'intent.yaml');
  writeFileSync(file, stringify(doc));
  return { file, variant: kernelHasIpvlan ? 'ipvlan' : 'macvlan' };
}

/** Whether this kernel creates ipvlan links (probed in a throwaway network namespace). */
export function kernelHasIpvlan(): boolean {
  const ns = `seed-probe-${process.pid}`;
  if (run('ip', ['netns', 'add', ns]).status !== 0) return false;
  try {
    const ip = (...a: string[]) => run('ip', ['-n', ns, ...a]);
    ip('link', 'add', 'p0', 'type', 'veth', 'peer', 'name', 'p1');
    return ip('link', 'add', 'i0', 'link', 'p0', 'type', 'ipvlan', 'mode', 'l2').status === 0;
  } finally {
    run('ip', ['netns', 'del', ns]);
  }
}
