/**
 * A lab for `infra/node/multinic-eni.sh`: a "node" network namespace whose veth links carry the fixture's MACs and
 * stand in for ENIs (this kernel has no dummy links), their peers in a "vpc" namespace, and the mock IMDSv2
 * (`test/util/imds-mock.js`) running inside the node namespace on 127.0.0.1 (lo brought up first). The root
 * namespace gets no address and no route to 169.254.169.254.
 *
 * Every command is bounded in time; `cleanup()` removes the namespaces, the mock and the temporary directory.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { requireTools, type ToolGate } from '../util/require-tool';

export const REPO = resolve(__dirname, '..', '..');
export const SCRIPT = join(REPO, 'infra', 'node', 'multinic-eni.sh');
const MOCK = join(REPO, 'test', 'util', 'imds-mock.js');
export const IMDS_PORT = 8080;
const TIMEOUT_MS = 20_000;

export const PRIMARY_MAC = '02:00:00:00:00:01';
/** MAC of the fixture's secondary ENI at device index `device` (1-based). */
export const eniMac = (device: number): string => `02:00:00:00:01:${device.toString(16).padStart(2, '0')}`;

export interface FixtureEni {
  readonly mac: string;
  readonly deviceNumber: number;
  readonly networkCard?: number;
  readonly localIpv4s?: readonly string[];
  readonly subnetCidr?: string;
  readonly vpcCidrs?: readonly string[];
  readonly ipv4Prefixes?: readonly string[];
  readonly deviceNumberMissingFor?: number;
}
export interface ImdsFixture {
  readonly primaryMac: string;
  readonly interfaces: readonly FixtureEni[];
}

export interface Result {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export function sh(cmd: string, args: readonly string[], input?: string, timeoutMs = TIMEOUT_MS): Result {
  const t0 = Date.now();
  const r = spawnSync(cmd, [...args], { input, encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL' });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? r.error?.message ?? '', ms: Date.now() - t0 };
}

export function must(cmd: string, args: readonly string[]): string {
  const r = sh(cmd, args);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: status ${r.status}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** Runs the lab's tests when this machine can (root, ip, curl, awk); skips them with the reason otherwise. */
export function labSupport(): ToolGate {
  return requireTools(['ip', 'curl', 'awk'], { root: 'network namespaces' });
}

let counter = 0;

/** The secondary ENI fixture of device `device`: subnet 10.0.(127+device).0/24, addresses .10 (and .11). */
export function secondaryEni(device: number, opts: { prefixes?: number; addresses?: number } = {}): FixtureEni {
  const net = `10.0.${127 + device}`;
  return {
    mac: eniMac(device),
    deviceNumber: device,
    localIpv4s: Array.from({ length: opts.addresses ?? 1 }, (_, i) => `${net}.${10 + i}`),
    subnetCidr: `${net}.0/24`,
    vpcCidrs: ['10.0.0.0/16'],
    ...(opts.prefixes ? { ipv4Prefixes: Array.from({ length: opts.prefixes }, (_, i) => `${net}.${16 * (i + 1)}/28`) } : {}),
  };
}

export const primaryEni = (): FixtureEni => ({
  mac: PRIMARY_MAC, deviceNumber: 0, localIpv4s: ['10.0.0.10'], subnetCidr: '10.0.0.0/24', vpcCidrs: ['10.0.0.0/16'],
});

export class EniLab {
  public readonly node: string;
  public readonly vpc: string;
  public readonly dir: string;
  private mock: ChildProcess | undefined;
  private readonly extraNs: string[] = [];

  constructor() {
    counter += 1;
    const id = `${process.pid % 100000}x${counter}`;
    this.node = `mnn${id}`;
    this.vpc = `mnv${id}`;
    this.dir = mkdtempSync(join(tmpdir(), 'multinic-eni-'));
    must('ip', ['netns', 'add', this.node]);
    must('ip', ['netns', 'add', this.vpc]);
    must('ip', ['-n', this.node, 'link', 'set', 'lo', 'up']);
    must('ip', ['-n', this.vpc, 'link', 'set', 'lo', 'up']);
  }

  public get fixtureFile(): string { return join(this.dir, 'imds.json'); }
  public get nodeConfigFile(): string { return join(this.dir, 'node.conf'); }
  public get cniDir(): string { return join(this.dir, 'cni'); }
  public get linkDir(): string { return join(this.dir, 'network'); }
  public get stateDir(): string { return join(this.dir, 'state'); }

  /** A veth standing in for an ENI: `name` in the node namespace with `mac`, its peer `peer` up in the vpc one. */
  public addNic(name: string, mac: string, peer: string): void {
    must('ip', ['link', 'add', name, 'netns', this.node, 'address', mac, 'type', 'veth', 'peer', 'name', peer, 'netns', this.vpc]);
    must('ip', ['-n', this.vpc, 'link', 'set', peer, 'up']);
  }

  public writeFixture(fx: ImdsFixture): void {
    writeFileSync(this.fixtureFile, JSON.stringify(fx, null, 2));
  }

  public writeNodeConfig(text: string): void {
    writeFileSync(this.nodeConfigFile, text);
  }

  /** Starts the mock IMDS inside the node namespace and waits (bounded) until it listens. */
  public async startImds(): Promise<void> {
    const child = spawn('ip', ['netns', 'exec', this.node, process.execPath, MOCK, '--fixture', this.fixtureFile,
      '--host', '127.0.0.1', '--port', String(IMDS_PORT)], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.mock = child;
    await new Promise<void>((ok, fail) => {
      let out = '';
      const timer = setTimeout(() => fail(new Error(`mock IMDS did not start within 10 s: ${out}`)), 10_000);
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('listening')) { clearTimeout(timer); ok(); }
      });
      child.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
      child.on('exit', (code) => { clearTimeout(timer); fail(new Error(`mock IMDS exited (${code}): ${out}`)); });
    });
  }

  public stopImds(): void {
    if (this.mock !== undefined && this.mock.exitCode === null) this.mock.kill('SIGKILL');
    this.mock = undefined;
  }

  /**
   * Runs the script in the node namespace with the lab's paths; `env` adds or overrides variables.
   *
   * @param script the entry point to run @default - infra/node/multinic-eni.sh (it sources its parts)
   */
  public runScript(args: readonly string[] = [], env: Record<string, string> = {}, script: string = SCRIPT): Result {
    mkdirSync(this.cniDir, { recursive: true });
    const vars = {
      PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
      MULTINIC_IMDS_ENDPOINT: `http://127.0.0.1:${IMDS_PORT}`,
      MULTINIC_NODE_CONFIG: this.nodeConfigFile,
      MULTINIC_CNI_DIR: this.cniDir,
      MULTINIC_LINK_DIR: this.linkDir,
      MULTINIC_UDEV_DIR: this.linkDir,
      MULTINIC_STATE_DIR: this.stateDir,
      MULTINIC_RUN_DIR: join(this.dir, 'run'),
      MULTINIC_NIC_WAIT: '2',
      MULTINIC_IMDS_RETRY_DELAY: '0.1',
      ...env,
    };
    return sh('ip', ['netns', 'exec', this.node, 'env', '-i', ...Object.entries(vars).map(([k, v]) => `${k}=${v}`), script, ...args]);
  }

  /** `ip ARGS` inside the node namespace. */
  public ip(...args: string[]): string {
    return must('ip', ['-n', this.node, ...args]);
  }

  /** Everything the script may change in the kernel, as text: links, addresses, rules, all route tables, sysctls. */
  public kernelState(): string {
    const links = this.ip('-o', 'link', 'show').replace(/\\\s+link\/ether/g, ' link/ether');
    const sysctls = must('ip', ['netns', 'exec', this.node, 'sh', '-c',
      'for f in /proc/sys/net/ipv4/conf/*/rp_filter /proc/sys/net/ipv4/conf/*/forwarding; do echo "$f $(cat "$f")"; done']);
    return [links, this.ip('-4', '-o', 'addr', 'show'), this.ip('-4', 'rule', 'show'), this.ip('-4', 'route', 'show', 'table', 'all'), sysctls].join('\n----\n');
  }

  /** The rules whose priority is `pref`, as "from X lookup T". */
  public rules(pref: number): string[] {
    return this.ip('-4', 'rule', 'show').split('\n')
      .filter((l) => l.startsWith(`${pref}:`))
      .map((l) => l.slice(l.indexOf(':') + 1).trim());
  }

  /** `ip route show table N`, whitespace normalized; [] when the table does not exist. */
  public table(n: number): string[] {
    const r = sh('ip', ['-n', this.node, '-4', 'route', 'show', 'table', String(n)]);
    if (r.status !== 0) return [];
    return r.stdout.split('\n').map((l) => l.trim().replace(/\s+/g, ' ')).filter((l) => l !== '').sort();
  }

  /** A further namespace (cleaned up with the lab). */
  public addNamespace(suffix: string): string {
    const ns = `${this.node}${suffix}`;
    must('ip', ['netns', 'add', ns]);
    must('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    this.extraNs.push(ns);
    return ns;
  }

  public cleanup(): void {
    this.stopImds();
    for (const ns of [this.node, this.vpc, ...this.extraNs]) sh('ip', ['netns', 'del', ns]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
