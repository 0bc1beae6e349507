/**
 * The test harness of the local cluster, for any test that needs real nodes (issue 18's suite, the seed scenarios,
 * MultiNetworkPolicy enforcement): start a box for an intent, run kubectl, exec in a pod, collect logs on failure,
 * tear down. One box per test file: `startBox` in `beforeAll`, `box.stop()` in `afterAll`.
 *
 * @example
 * const support = boxSupport();
 * const d = support.ok ? describe : describe.skip;
 * let box: Box;
 * beforeAll(async () => { box = await startBox({ intentFile: 'test/fixtures/cluster/default-macvlan.yaml', cluster: 't1' }); }, 600_000);
 * afterAll(() => box?.stop());
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadIntentFile } from '../lib/intent/load';
import { validateParsed } from '../lib/intent/validate';
import type { NetworkIntent } from '../lib/intent/types';
import { VERSIONS } from '../lib/versions';
import { type Artifacts, cachedArtifacts, cacheRoot, loadArtifacts } from './artifacts';
import { BoxNames } from './box';
import { down, type DownReport } from './down';
import { getJson, kubectl, kubectlOk } from './kubectl';
import { holderPid, runEniSetup } from './provider/node';
import { hostInfo } from './provider/host';
import { run, type RunResult } from './provider/exec';
import { up, type UpReport } from './up';

/**
 * Whether box suites run, and if not why (for the skip message). On when `MULTINIC_BOX_ARTIFACTS` names a build, or
 * when `MULTINIC_BOX=1` (what `npm test` passes when its box switch is on: scripts/test.js) and a complete build of
 * the pinned versions is cached (`bash cluster/build/build.sh`); off with `MULTINIC_BOX=0`, and without root,
 * namespaces or cgroup v1 (naming what is missing).
 */
export function boxSupport(): { readonly ok: true; readonly artifacts: string } | { readonly ok: false; readonly reason: string } {
  if (process.env.MULTINIC_BOX === '0') return { ok: false, reason: 'MULTINIC_BOX=0: the local-cluster suites are switched off' };
  const host = hostInfo();
  if (host.missing.length > 0) return { ok: false, reason: host.missing.join('; ') };
  let dir = process.env.MULTINIC_BOX_ARTIFACTS;
  if (dir === undefined || dir === '') {
    const cached = cachedArtifacts(VERSIONS.kubernetes.version);
    if (process.env.MULTINIC_BOX !== '1') {
      return {
        ok: false,
        reason: `the local-cluster suites are off: run them with MULTINIC_BOX=1 (a cached build) or MULTINIC_BOX_ARTIFACTS=<dir> (\`bash cluster/build/build.sh\` prints it last; 20-40 min cold on 2 cores, then cached)${cached !== undefined ? `; a complete build is cached at ${cached}` : ''}`,
      };
    }
    if (cached === undefined) {
      return { ok: false, reason: `MULTINIC_BOX=1 but no complete build of Kubernetes ${VERSIONS.kubernetes.version} is cached in ${cacheRoot()}: run \`bash cluster/build/build.sh\` (20-40 min cold on 2 cores, then cached)` };
    }
    dir = cached;
  }
  try {
    loadArtifacts(dir);
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  return { ok: true, artifacts: dir };
}

export interface StartBoxOptions {
  /** Intent file (validated; errors throw). */
  readonly intentFile: string;
  /** Cluster name: every test file its own. */
  readonly cluster: string;
  /** Status lines (e.g. `process.stderr.write`). @default - silent */
  readonly out?: (line: string) => void;
  /** @default 240000 */
  readonly readyTimeoutMs?: number;
  /** Nodes booted without their in-guest ENI setup (`up --hold-eni-setup`); complete it with `runEniSetup`. @default [] */
  readonly holdEniSetup?: readonly string[];
}

export class Box {
  public readonly names: BoxNames;
  public artifacts: Artifacts;
  constructor(public readonly cluster: string, artifactsDir: string, public report: UpReport, public intent: NetworkIntent) {
    this.names = new BoxNames(cluster);
    this.artifacts = loadArtifacts(artifactsDir);
  }

  /** The kubeconfig that works from the caller's shell. */
  public get kubeconfig(): string { return this.names.kubeconfig; }

  /** Runs the built kubectl against the box; never throws. */
  public kubectl(args: readonly string[], timeoutMs = 60_000): Promise<RunResult> {
    return kubectl(this, args, timeoutMs);
  }

  /** kubectl that must succeed; returns stdout. */
  public kubectlOk(args: readonly string[], timeoutMs = 60_000): Promise<string> {
    return kubectlOk(this, args, timeoutMs);
  }

  /** `kubectl get ARGS -o json`, parsed. */
  public get<T>(args: readonly string[]): Promise<T> {
    return getJson<T>(this, args);
  }

  /** `kubectl exec` in a pod (first container unless `container`). */
  public exec(namespace: string, pod: string, command: readonly string[], container?: string): Promise<RunResult> {
    return this.kubectl(['exec', '-n', namespace, pod, ...(container ? ['-c', container] : []), '--', ...command]);
  }

  /** Runs a command inside a node (its mount and network namespaces). */
  public inNode(node: string, cmd: string, args: readonly string[]): RunResult {
    const pid = holderPid(this.names, node);
    if (pid === undefined) return { status: 1, stdout: '', stderr: `node ${node} is not running` };
    return run('nsenter', ['-t', String(pid), '-m', '-n', '--', cmd, ...args]);
  }

  /**
   * Applies another intent to the running box (a second `up`); nodes it adds that are named in `holdEniSetup` boot
   * without their ENI setup (complete it with {@link runEniSetup}).
   */
  public async apply(intentFile: string, out?: (line: string) => void, holdEniSetup: readonly string[] = []): Promise<UpReport> {
    this.intent = loadValid(intentFile);
    this.report = await up({ intent: this.intent, intentFile, cluster: this.cluster, out, holdEniSetup });
    return this.report;
  }

  /** Runs the in-guest ENI setup of a node booted without it (`holdEniSetup`). */
  public runEniSetup(node: string): RunResult {
    return runEniSetup(this.names, node);
  }

  /**
   * Copies every node's kubelet, containerd, kube-proxy, ENI and boot logs, the control plane's logs, the pods'
   * logs and `kubectl get all,events -A` into a new folder; returns its path (kind's `export logs`).
   */
  public async collectLogs(): Promise<string> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `multinic-box-logs-${this.cluster}-`));
    const copy = (from: string, to: string) => { try { fs.cpSync(from, to, { recursive: true, filter: (f) => !/\.(key|crt)$/.test(f) && !f.includes('/etcd') && !f.includes('/dist') }); } catch { /* missing */ } };
    copy(this.names.cpDir, path.join(dir, 'control-plane'));
    copy(path.join(this.names.dir, 'nodes'), path.join(dir, 'nodes'));
    copy(this.names.stateFile, path.join(dir, 'state.json'));
    for (const [file, args] of [['cluster.txt', ['get', 'nodes,all,events', '-A', '-o', 'wide']], ['pods.yaml', ['get', 'pods', '-A', '-o', 'yaml']]] as const) {
      const r = await this.kubectl(args, 30_000);
      fs.writeFileSync(path.join(dir, file), r.stdout + r.stderr);
    }
    for (const node of this.report.facts.nodes as string[] ?? []) {
      const r = this.inNode(node, 'sh', ['-c', 'tar -C /var/log -cf - pods 2>/dev/null']);
      if (r.status === 0) fs.writeFileSync(path.join(dir, 'nodes', `${node}-pod-logs.tar`), r.stdout, 'latin1');
    }
    return dir;
  }

  /** Tears the box down; returns what was left behind (nothing, when all went well). */
  public stop(): Promise<DownReport> {
    return down(this.names);
  }
}

function loadValid(file: string): NetworkIntent {
  const r = validateParsed(loadIntentFile(file));
  if (!r.valid || r.intent === undefined) throw new Error(`${file}: invalid intent (${r.findings.filter((f) => f.level === 'error').map((f) => f.message).join('; ')})`);
  return r.intent;
}

/**
 * Starts a box for an intent and waits until it is ready; when it is not, collects its logs, tears it down (a failed
 * start leaves nothing behind: the caller has no box to stop) and throws naming the logs' folder.
 */
export async function startBox(opts: StartBoxOptions): Promise<Box> {
  const support = boxSupport();
  if (!support.ok) throw new Error(`the local cluster cannot run: ${support.reason}`);
  const intent = loadValid(opts.intentFile);
  // up's build step uses these artifacts as they are (no build inside a test run).
  process.env.MULTINIC_BOX_ARTIFACTS ||= support.artifacts;
  const report = await up({ intent, intentFile: opts.intentFile, cluster: opts.cluster, out: opts.out, readyTimeoutMs: opts.readyTimeoutMs, holdEniSetup: opts.holdEniSetup });
  const box = new Box(opts.cluster, support.artifacts, report, intent);
  if (!report.ok) {
    const logs = await box.collectLogs();
    const left = (await box.stop()).leftovers;
    throw new Error(`the box did not come up: ${report.error}\nlogs: ${logs}${left.length > 0 ? `\nleft behind by down: ${left.join('; ')}` : ''}`);
  }
  return box;
}
