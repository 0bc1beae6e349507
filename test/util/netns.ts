/**
 * A small harness for running Debian's real CNI plugins in network namespaces, the way a runtime does: the plugin
 * runs inside the node's netns (where the master lives), with `env -i` and the CNI_* variables, the config on stdin.
 *
 * Every spawn has a timeout. Namespace names carry the jest worker's pid, so parallel runs never collide; `cleanup()`
 * deletes what this lab created, and only that.
 *
 * See /work/shared/reference/test-harness.md ("Debian's CNI plugins") for the pitfalls this encodes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CNI, CNI_DIR, requireTools, type ToolGate } from './require-tool';

export const CNI_PATH = CNI_DIR;
/** Bound of every spawned command. A plugin ADD+DEL takes about 0.1 s. */
export const SPAWN_TIMEOUT_MS = 10_000;

export interface SpawnResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/** Runs a command with a timeout; never throws. */
export function run(cmd: string, args: readonly string[], input?: string, timeoutMs = SPAWN_TIMEOUT_MS): SpawnResult {
  const r = spawnSync(cmd, [...args], { input, encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL' });
  const timedOut = r.error !== undefined && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT';
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error?.message ?? ''), timedOut };
}

/** Runs a command that must succeed; throws with its output otherwise. */
export function must(cmd: string, args: readonly string[], input?: string): string {
  const r = run(cmd, args, input);
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (status ${r.status}${r.timedOut ? ', timed out' : ''}): ${r.stderr.trim()}`);
  }
  return r.stdout;
}

/** Runs the real-plugin tests when this machine can (root, ip, ping, Debian's CNI plugins); skips them with the reason otherwise. */
export function realCniSupport(): ToolGate {
  return requireTools(['ip', 'ping', CNI('macvlan'), CNI('host-local')], { root: 'network namespaces' });
}

/** The result of a CNI ADD, as far as the tests read it. */
export interface CniResult {
  readonly cniVersion: string;
  readonly interfaces?: readonly { readonly name: string; readonly mac?: string; readonly sandbox?: string }[];
  readonly ips?: readonly { readonly address: string; readonly gateway?: string; readonly interface?: number }[];
  readonly routes?: readonly { readonly dst: string; readonly gw?: string }[];
  readonly dns?: Readonly<Record<string, unknown>>;
}

/** What a plugin run gave: the parsed result on success, the CNI error (`{code, msg}`) on failure. */
export interface CniOutcome {
  readonly ok: boolean;
  readonly result?: CniResult;
  /** The error JSON's `msg` (plus `details`), or stderr when the plugin printed no JSON. */
  readonly error?: string;
  readonly raw: SpawnResult;
}

export type CniCommand = 'ADD' | 'CHECK' | 'DEL';

export interface CniInvocation {
  readonly nodeNs: string;
  readonly podNs: string;
  readonly ifname: string;
  readonly containerId: string;
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonRecord = { [key: string]: Json };

function isRecord(v: unknown): v is JsonRecord {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseJson(text: string): Json | undefined {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

/** Runs one plugin binary (`plugin.type`) with `config` on stdin, inside `nodeNs`. */
export function execPlugin(command: CniCommand, config: JsonRecord, at: CniInvocation): CniOutcome {
  const type = config.type;
  if (typeof type !== 'string' || !/^[a-z0-9-]+$/.test(type)) throw new Error(`config has no plugin type: ${JSON.stringify(config)}`);
  const raw = run('ip', [
    'netns', 'exec', at.nodeNs, 'env', '-i', `CNI_COMMAND=${command}`, `CNI_CONTAINERID=${at.containerId}`,
    `CNI_NETNS=/var/run/netns/${at.podNs}`, `CNI_IFNAME=${at.ifname}`, `CNI_PATH=${CNI_PATH}`, join(CNI_PATH, type),
  ], JSON.stringify(config));
  const out = parseJson(raw.stdout);
  if (raw.status === 0) {
    return { ok: true, result: command === 'ADD' && isRecord(out) ? (out as unknown as CniResult) : undefined, raw };
  }
  const error = isRecord(out) && typeof out.msg === 'string'
    ? `${out.msg}${typeof out.details === 'string' && out.details !== '' ? `: ${out.details}` : ''}`
    : `${raw.stderr.trim()}${raw.timedOut ? ' (timed out)' : ''}`;
  return { ok: false, error, raw };
}

/**
 * Runs a serialized config (a conf or a conflist) as libcni does. ADD runs the plugins in order, each given the
 * previous result as `prevResult`; CHECK and DEL get the ADD result as `prevResult` (DEL in reverse order).
 * Returns the outcome of the last plugin run, or of the first that failed.
 */
export function runCni(command: CniCommand, configJson: string, at: CniInvocation, addResult?: CniResult): CniOutcome {
  const doc = JSON.parse(configJson) as JsonRecord;
  const plugins: JsonRecord[] = Array.isArray(doc.plugins)
    ? doc.plugins.filter(isRecord).map((p) => ({ cniVersion: doc.cniVersion, name: doc.name, ...p }))
    : [doc];
  const ordered = command === 'DEL' ? [...plugins].reverse() : plugins;
  let prev: CniResult | undefined = command === 'ADD' ? undefined : addResult;
  let last: CniOutcome | undefined;
  for (const plugin of ordered) {
    const config = prev === undefined ? plugin : { ...plugin, prevResult: prev as unknown as Json };
    last = execPlugin(command, config, at);
    if (!last.ok) return last;
    if (command === 'ADD') prev = last.result;
  }
  if (last === undefined) throw new Error('config has no plugins');
  return command === 'ADD' ? { ...last, result: prev } : last;
}

/** IPv4 addresses on `ifname` inside `ns` (with prefix), or undefined when the link does not exist. */
export function addressesOf(ns: string, ifname: string): string[] | undefined {
  const r = run('ip', ['-n', ns, '-j', 'addr', 'show', 'dev', ifname]);
  if (r.status !== 0) return undefined;
  const links = parseJson(r.stdout);
  if (!Array.isArray(links)) return [];
  return links.filter(isRecord).flatMap((l) => (Array.isArray(l.addr_info) ? l.addr_info : []))
    .filter(isRecord).filter((a) => a.family === 'inet').map((a) => `${String(a.local)}/${String(a.prefixlen)}`);
}

/** Whether `ns` can reach `ip` with one ping (1 s bound), optionally sourced from `from`. */
export function pings(ns: string, ip: string, from?: string): boolean {
  const source = from !== undefined ? ['-I', from] : [];
  return run('ip', ['netns', 'exec', ns, 'ping', '-c1', '-W1', '-n', '-q', ...source, ip], undefined, 5_000).status === 0;
}

/** Reads a sysctl inside `ns`. */
export function sysctlIn(ns: string, key: string): string {
  return must('ip', ['netns', 'exec', ns, 'sysctl', '-n', key]).trim();
}

/** host-local reservation files (named after the reserved address) left under `dataDir/<network name>`. */
export function hostLocalReservations(dataDir: string, network: string): string[] {
  let files: string[];
  try {
    files = readdirSync(join(dataDir, network));
  } catch {
    return [];
  }
  return files.filter((f) => /^[0-9.]+$/.test(f) || f.includes(':'));
}

/**
 * Network namespaces, veths and temp dirs of one test file. Names: `mn<pid>-<tag>`; `cleanup()` removes them all,
 * whatever state the tests left them in (deleting a netns deletes the links inside it).
 */
export class NetnsLab {
  private readonly namespaces: string[] = [];
  private readonly dirs: string[] = [];
  private seq = 0;

  /** Creates a netns with `lo` up; returns its name (unique per process and call). */
  public netns(role: string): string {
    const name = `mn${process.pid}-${this.seq++}-${role}`;
    must('ip', ['netns', 'add', name]);
    this.namespaces.push(name);
    must('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
    return name;
  }

  /** A veth `name` in `ns`, its peer in `peerNs`; both up (a peer that is down leaves `name` without carrier). */
  public veth(ns: string, name: string, peerNs: string, peerName: string, mtu?: number): void {
    must('ip', ['-n', ns, 'link', 'add', name, ...(mtu !== undefined ? ['mtu', String(mtu)] : []), 'type', 'veth', 'peer', 'name', peerName, 'netns', peerNs]);
    must('ip', ['-n', ns, 'link', 'set', name, 'up']);
    must('ip', ['-n', peerNs, 'link', 'set', peerName, 'up']);
  }

  /** A fresh temp dir (e.g. a host-local dataDir), removed by `cleanup()`. */
  public tempDir(tag: string): string {
    const dir = mkdtempSync(join(tmpdir(), `mn${process.pid}-${tag}-`));
    this.dirs.push(dir);
    return dir;
  }

  /** Whether the kernel can create a link of `kind` (ipvlan, macvlan, ...) on a veth, tried in a scratch netns. */
  public kernelSupports(kind: string): boolean {
    const ns = this.netns(`probe-${kind}`);
    must('ip', ['-n', ns, 'link', 'add', 'probe0', 'type', 'veth', 'peer', 'name', 'probe1']);
    const ok = run('ip', ['-n', ns, 'link', 'add', 'link', 'probe0', 'name', 'probe2', 'type', kind]).status === 0;
    this.removeNetns(ns);
    return ok;
  }

  public removeNetns(ns: string): void {
    run('ip', ['netns', 'del', ns]);
    const i = this.namespaces.indexOf(ns);
    if (i >= 0) this.namespaces.splice(i, 1);
  }

  /** Removes every netns and dir this lab created; reports what it could not remove. */
  public cleanup(): string[] {
    const failed: string[] = [];
    for (const ns of [...this.namespaces].reverse()) {
      const r = run('ip', ['netns', 'del', ns]);
      if (r.status !== 0) failed.push(`${ns}: ${r.stderr.trim()}`);
    }
    this.namespaces.length = 0;
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
    this.dirs.length = 0;
    return failed;
  }
}
