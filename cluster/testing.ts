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
import { type Artifacts, cachedArtifacts, loadArtifacts } from './artifacts';
import { BoxNames } from './box';
import { down, type DownReport } from './down';
import { getJson, kubectl, kubectlOk } from './kubectl';
import { holderPid } from './provider/node';
import { hostInfo } from './provider/host';
import { run, type RunResult } from './provider/exec';
import { up, type UpReport } from './up';

/** Whether a box can run here, and if not why (for the skip message). */
export function boxSupport(): { readonly ok: true; readonly artifacts: string } | { readonly ok: false; readonly reason: string } {
  const host = hostInfo();
  if (host.missing.length > 0) return { ok: false, reason: host.missing.join('; ') };
  // Opt-in for now: the full up (apply and wait) has not yet passed end to end on this machine (the images were not
  // built in time on 2026-12-06), so a cached build alone does not switch the cluster suites on in CI.
  const dir = process.env.MULTINIC_BOX_ARTIFACTS;
  if (dir === undefined || dir === '') {
    const cached = cachedArtifacts(VERSIONS.kubernetes.version);
    return {
      ok: false,
      reason: `MULTINIC_BOX_ARTIFACTS is not set: build with \`bash cluster/build/build.sh\` (20-25 min cold, then cached) and run with MULTINIC_BOX_ARTIFACTS=<the directory it prints last>${cached !== undefined ? ` (a complete build is cached at ${cached})` : ''}`,
    };
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

  /** Applies another intent to the running box (a second `up`). */
  public async apply(intentFile: string, out?: (line: string) => void): Promise<UpReport> {
    this.intent = loadValid(intentFile);
    this.report = await up({ intent: this.intent, intentFile, cluster: this.cluster, out });
    return this.report;
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
    return down(this.names, { crictl: this.artifacts.bin('crictl') });
  }
}

function loadValid(file: string): NetworkIntent {
  const r = validateParsed(loadIntentFile(file));
  if (!r.valid || r.intent === undefined) throw new Error(`${file}: invalid intent (${r.findings.filter((f) => f.level === 'error').map((f) => f.message).join('; ')})`);
  return r.intent;
}

/** Starts a box for an intent and waits until it is ready; throws (after collecting logs) when it is not. */
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
    throw new Error(`the box did not come up: ${report.error}\nlogs: ${logs}`);
  }
  return box;
}
