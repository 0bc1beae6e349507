/**
 * What the seed tests (test/cluster/seed-*.test.ts) need from the local cluster, on top of its harness
 * (cluster/testing.ts): synchronous kubectl for bounded polling, a shell inside a node, a node booted without its
 * in-guest ENI setup and completing it later, a node taken away, and the intent the box runs here.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BoxNames } from '../../../cluster/box';
import { down, type DownReport } from '../../../cluster/down';
import { type Box, boxSupport, startBox } from '../../../cluster/testing';
import { loadArtifacts } from '../../../cluster/artifacts';
import { vpcRuleset } from '../../../cluster/actions/networks';
import { boxTopology } from '../../../cluster/topology';
import { hostInfo } from '../../../cluster/provider/host';
import { runEniSetup, stopNode } from '../../../cluster/provider/node';

export const REPO = join(__dirname, '..', '..', '..');

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A bounded command; never throws. */
export function run(cmd: string, args: readonly string[], opts: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): RunResult {
  const r = spawnSync(cmd, [...args], {
    input: opts.input, encoding: 'utf8', timeout: opts.timeoutMs ?? 60_000, killSignal: 'SIGKILL',
    env: opts.env ?? process.env, cwd: REPO, maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? r.error?.message ?? '' };
}

export interface SeedBoxOptions {
  /** Cluster name (one per suite file, so files never share or tear down each other's box). */
  readonly name: string;
  /** Path of the intent the box runs. */
  readonly intent: string;
  /** Worker nodes booted without multinic's in-guest ENI setup (completed later with `releaseEniSetup`). */
  readonly holdEniSetup?: readonly string[];
}

export interface SeedBox {
  readonly box: Box;
  readonly name: string;
  readonly intent: string;
  readonly kubeconfig: string;
  /** Worker node names, sorted. */
  readonly workers: readonly string[];
  /** The built kubectl against the box, bounded, synchronous. */
  kubectl(args: readonly string[], opts?: { input?: string; timeoutMs?: number }): RunResult;
  /** `multinic <args>` (the built CLI) with the box's kubeconfig in KUBECONFIG. */
  multinic(args: readonly string[]): RunResult;
  /** A shell script inside a node: its network and mount namespaces (its /etc/cni, /var/lib/cni, links). */
  onNode(node: string, script: string): RunResult;
  /** Runs a held-back node's in-guest ENI setup now (the script boot-node.sh wrote for it). */
  releaseEniSetup(node: string): RunResult;
  /**
   * Stops everything that runs on a node (its kubelet, containerd, every container: a pod's process there can no
   * longer act, as when an instance is terminated) but the process holding its namespaces (for `down`), and deletes
   * its Node object. Fails naming what still runs there.
   */
  removeNode(node: string): Promise<RunResult>;
  /** The box's VPC rule (nftables on the subnet bridges, cluster/actions/networks.ts). */
  readonly vpcRule: VpcRule;
  /** Tears the box down; what it could not remove is in `leftovers`. */
  down(): Promise<DownReport>;
}

/** The VPC rule of a running box, read and switched by a scenario. */
export interface VpcRule {
  /** Whether the rule's table is loaded (`up` loads it for an AWS intent). */
  loaded(): boolean;
  /**
   * Loads the ruleset `up` loads for an AWS intent, built from this box's own ENIs (MACs, addresses, prefixes), on a
   * box that runs without it (`spec.platform: generic`); returns what removes it again. Throws when it is loaded.
   */
  switchOn(): () => void;
  /** Its drop counters by name: `unknown_mac`, `unknown_ip`, `not_owner` (packets). */
  counters(): Record<string, number>;
}

const VPC_TABLE = ['bridge', 'multinic_vpc'] as const;

/** Why the box cannot run here, or undefined when it can. */
export function boxUnavailable(): string | undefined {
  const s = boxSupport();
  return s.ok ? undefined : s.reason;
}

/** Brings a box up for one suite file (ready, as `startBox` waits); throws with its logs' folder when it does not. */
export async function upSeedBox(opts: SeedBoxOptions): Promise<SeedBox> {
  let box: Box;
  try {
    box = await startBox({ intentFile: opts.intent, cluster: opts.name, holdEniSetup: opts.holdEniSetup });
  } catch (e) {
    // startBox keeps the logs and names their folder; the half-made box itself must not outlive the suite.
    await down(new BoxNames(opts.name)).catch(() => undefined);
    throw e;
  }
  const env = { ...process.env, KUBECONFIG: box.kubeconfig };
  const kubectlBin = box.artifacts.bin('kubectl');
  const kubectl = (args: readonly string[], o: { input?: string; timeoutMs?: number } = {}) => run(kubectlBin, args, { ...o, env });
  const nodes = JSON.parse(kubectl(['get', 'nodes', '-o', 'json']).stdout || '{"items":[]}') as { items: Array<{ metadata: { name: string; labels?: Record<string, string> } }> };
  const workers = nodes.items.filter((n) => !('node-role.kubernetes.io/control-plane' in (n.metadata.labels ?? {}))).map((n) => n.metadata.name).sort();
  const onNode = (node: string, script: string) => box.inNode(node, 'sh', ['-c', script]);
  return {
    box, name: opts.name, intent: opts.intent, kubeconfig: box.kubeconfig, workers,
    kubectl,
    multinic: (args) => run(process.execPath, [join(REPO, 'build', 'bin', 'multinic.js'), ...args], { env, timeoutMs: 120_000 }),
    onNode,
    releaseEniSetup: (node) => runEniSetup(box.names, node),
    removeNode: async (node) => {
      // The same stop as `multinic cluster remove-node` (cluster/provider/node.ts stopNode), then the Node deleted.
      const left = await stopNode(box.names, node);
      if (left.length > 0) return { status: 1, stdout: '', stderr: `node ${node}: still running after SIGKILL: ${left.join(', ')}` };
      return kubectl(['delete', 'node', node, '--wait=true', '--timeout=60s']);
    },
    vpcRule: vpcRule(box),
    down: () => box.stop(),
  };
}

function vpcRule(box: Box): VpcRule {
  const nft = (args: readonly string[], input?: string) => run('ip', ['netns', 'exec', box.names.vpcNs, 'nft', ...args], { input });
  const loaded = () => nft(['list', 'table', ...VPC_TABLE]).status === 0;
  return {
    loaded,
    switchOn: () => {
      if (loaded()) throw new Error(`the VPC rule of box ${box.cluster} is on already`);
      const ruleset = vpcRuleset(boxTopology(box.intent, hostInfo().links));
      const r = nft(['-f', '-'], ruleset);
      if (r.status !== 0) throw new Error(`the VPC rule did not load: ${r.stderr.trim()}`);
      return () => {
        const d = nft(['delete', 'table', ...VPC_TABLE]);
        if (d.status !== 0) throw new Error(`the VPC rule could not be removed: ${d.stderr.trim()}`);
      };
    },
    counters: () => {
      const out = nft(['list', 'counters', 'table', ...VPC_TABLE]).stdout;
      return Object.fromEntries([...out.matchAll(/counter (\w+) \{\s*packets (\d+)/g)].map((m) => [m[1], Number(m[2])]));
    },
  };
}

/**
 * The programs of `tools` (e.g. `jq`) that the box's image `ref` lacks (no `bin/<tool>` or `sbin/<tool>` in any layer
 * of its OCI archive); undefined when the box cannot run or has no such image. The box builds stand-in images
 * (cluster/build/README.md), which may lack what the upstream image has.
 */
export function imageLacks(ref: string, tools: readonly string[]): string[] | undefined {
  const s = boxSupport();
  if (!s.ok) return undefined;
  const art = loadArtifacts(s.artifacts);
  const entry = art.images.find((i) => i.ref === ref);
  if (entry === undefined) return undefined;
  const archive = join(art.dir, 'images', entry.file.split('/').pop()!);
  const blobs = run('tar', ['-tf', archive]).stdout.split('\n').filter((f) => /blobs\/sha256\/[0-9a-f]{64}$/.test(f));
  const found: string[] = [];
  for (const b of blobs) {
    const listing = run('sh', ['-c', 'tar -xOf "$0" "$1" | tar -tzf - 2>/dev/null || tar -xOf "$0" "$1" | tar -tf - 2>/dev/null', archive, b], { timeoutMs: 120_000 });
    found.push(...listing.stdout.split('\n'));
  }
  return tools.filter((t) => !found.some((f) => new RegExp(`(^|/)s?bin/${t}$`).test(f)));
}
