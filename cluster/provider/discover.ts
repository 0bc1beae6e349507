/**
 * Finds what a box made by its markers (cluster/box.ts), so teardown and status need no memory of their own.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CGROUP_TOP, MARKER_ENV } from '../box';
import { cgroupMounts, mounts } from './host';
import { run } from './exec';

export interface BoxProcess {
  readonly pid: number;
  /** argv, joined by spaces. */
  readonly cmdline: string;
  /** `MULTINIC_BOX_NODE` of the process, when it belongs to a node. */
  readonly node?: string;
  /** `MULTINIC_BOX_ROLE`: what it is (holder, imds, etcd, apiserver, ...). */
  readonly role?: string;
}

/**
 * Whether `p` is the process that holds a node's namespaces: boot-node.sh, which ends as `sleep infinity`. The
 * node's daemons inherit its environment (and so its role marker); their command line tells them apart.
 */
export function isHolder(p: BoxProcess): boolean {
  return p.role === 'holder' && (p.cmdline === 'sleep infinity' || /^bash \S*boot-node\.sh /.test(p.cmdline));
}

/** What a process is: its role marker, or for a node's daemons the program's name. */
export function roleOf(p: BoxProcess): string {
  if (p.role !== undefined && p.role !== 'holder') return p.role;
  if (isHolder(p)) return 'holder';
  return (p.cmdline.split(' ')[0] ?? '').split('/').pop() ?? '?';
}

/** Network namespaces whose name starts with `prefix`. */
export function listNetns(prefix: string): string[] {
  const r = run('ip', ['netns', 'list']);
  return r.stdout.split('\n').map((l) => l.split(' ')[0]).filter((n) => n !== '' && n.startsWith(prefix)).sort();
}

/** Every process carrying `MULTINIC_BOX=<cluster>` in its environment (`cluster` undefined: any box). */
export function listProcesses(cluster?: string): BoxProcess[] {
  const out: BoxProcess[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let env: string;
    let cmd: string;
    try {
      env = fs.readFileSync(`/proc/${entry}/environ`, 'latin1');
      cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'latin1');
    } catch {
      continue;
    }
    const vars = env.split('\0');
    const marker = vars.find((v) => v.startsWith(`${MARKER_ENV}=`));
    if (marker === undefined) continue;
    if (cluster !== undefined && marker !== `${MARKER_ENV}=${cluster}`) continue;
    const get = (k: string) => vars.find((v) => v.startsWith(`${k}=`))?.slice(k.length + 1);
    out.push({ pid: Number(entry), cmdline: cmd.split('\0').filter((s) => s !== '').join(' '), node: get('MULTINIC_BOX_NODE'), role: get('MULTINIC_BOX_ROLE') });
  }
  return out.sort((a, b) => a.pid - b.pid);
}

/** Box cluster names that have anything left: processes, namespaces or cgroups. */
export function listClusters(): string[] {
  const names = new Set<string>();
  for (const p of listProcesses()) {
    try {
      const env = fs.readFileSync(`/proc/${p.pid}/environ`, 'latin1').split('\0').find((v) => v.startsWith(`${MARKER_ENV}=`));
      if (env !== undefined) names.add(env.slice(MARKER_ENV.length + 1));
    } catch { /* gone */ }
  }
  for (const ns of listNetns('mnb-')) {
    const m = /^mnb-(.+?)-(vpc|cp|n-.+)$/.exec(ns);
    if (m) names.add(m[1]);
  }
  for (const h of cgroupMounts()) {
    try { for (const c of fs.readdirSync(path.join(h, CGROUP_TOP))) if (fs.statSync(path.join(h, CGROUP_TOP, c)).isDirectory()) names.add(c); } catch { /* none */ }
  }
  return [...names].sort();
}

/** cgroup directories of a box (every hierarchy), deepest first. */
export function listCgroups(rel: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
    for (const e of entries) if (e.isDirectory()) walk(path.join(dir, e.name));
    out.push(dir);
  };
  for (const h of cgroupMounts()) if (fs.existsSync(path.join(h, rel))) walk(path.join(h, rel));
  return out;
}

/** Pids in the cgroup directories given. */
export function pidsIn(cgroups: readonly string[]): number[] {
  const pids = new Set<number>();
  for (const c of cgroups) {
    try {
      for (const l of fs.readFileSync(path.join(c, 'cgroup.procs'), 'utf8').split('\n')) if (l.trim() !== '') pids.add(Number(l));
    } catch { /* gone */ }
  }
  return [...pids];
}

/** Mount points in this (the host's) mount namespace that belong to a box: its namespaces' files and anything under its directory. */
export function listMounts(nsPrefix: string, dir: string): string[] {
  return mounts().map((m) => m.mountPoint).filter((m) => m.startsWith(`/run/netns/${nsPrefix}`) || m === dir || m.startsWith(`${dir}/`));
}
