/**
 * What the host can do (kind's `Provider.Info()`): root, network and mount namespaces, cgroup v1 hierarchies, and
 * which link types the kernel creates. Probed, never assumed; each missing piece comes with the reason to print.
 */
import * as fs from 'node:fs';
import { run } from './exec';

export interface HostInfo {
  /** Why the box cannot run here; empty when it can. */
  readonly missing: readonly string[];
  /** Link types the kernel can create on a veth (probed in a scratch namespace). */
  readonly links: Readonly<Record<string, boolean>>;
  /** cgroup v1 hierarchies (mount points) that hold controllers. */
  readonly cgroupHierarchies: readonly string[];
}

const PROBED = ['macvlan', 'ipvlan', 'bridge'] as const;

/** One line of /proc/self/mountinfo: where, what file system, and its super options (`rw,cpu,cpuacct`, `name=systemd`). */
export interface MountEntry {
  readonly mountPoint: string;
  readonly fstype: string;
  readonly superOptions: readonly string[];
}

/** Parses mountinfo text (proc(5): fields, then ` - `, then fstype, source, super options). */
export function parseMountinfo(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const [left, right] = line.split(' - ');
    if (right === undefined) continue;
    const [fstype, , opts = ''] = right.split(' ');
    out.push({ mountPoint: left.split(' ')[4], fstype, superOptions: opts.split(',') });
  }
  return out;
}

/** This process' mounts (none when /proc cannot be read). */
export function mounts(): MountEntry[] {
  try { return parseMountinfo(fs.readFileSync('/proc/self/mountinfo', 'utf8')); } catch { return []; }
}

const cgroupPaths = (keep: (m: MountEntry) => boolean, from: readonly MountEntry[]) =>
  [...new Set(from.filter((m) => (m.fstype === 'cgroup' || m.fstype === 'cgroup2') && keep(m)).map((m) => m.mountPoint))].sort();

/**
 * Every cgroup hierarchy mounted (v1 with controllers, the named systemd one, cgroup2): the kubelet's cgroupRoot must
 * exist in each ("cgroup ... has some missing paths: /sys/fs/cgroup/systemd/...").
 */
export function cgroupMounts(from: readonly MountEntry[] = mounts()): string[] {
  return cgroupPaths(() => true, from);
}

/** The cgroup v1 hierarchies with controllers (not the named systemd one, not cgroup2). */
export function cgroupHierarchies(from: readonly MountEntry[] = mounts()): string[] {
  return cgroupPaths((m) => m.fstype === 'cgroup' && !m.superOptions.some((o) => o.startsWith('name=')), from);
}

/** Whether `/run/netns` is a mount point (`ip netns add` bind-mounts it onto itself the first time). */
export function runNetnsMounted(): boolean {
  return mounts().some((m) => m.mountPoint === '/run/netns');
}

/**
 * Undoes the `/run/netns` bind mount that `ip netns add` made when nothing had mounted it before (`wasMounted`
 * false) and no namespace is left in it: a box leaves no mount behind.
 */
export function unmountRunNetnsIfUnused(wasMounted: boolean): void {
  if (wasMounted || !runNetnsMounted()) return;
  let left: string[] = [];
  try { left = fs.readdirSync('/run/netns'); } catch { return; }
  if (left.length === 0) run('umount', ['/run/netns']);
}

export function hostInfo(): HostInfo {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('not running as root (network and mount namespaces, cgroups and mounts need root)');
  for (const tool of ['ip', 'nsenter', 'unshare', 'setsid', 'openssl', 'nft']) {
    if (run('sh', ['-c', `command -v ${tool}`]).status !== 0) missing.push(`${tool} is missing (apt-get install iproute2 util-linux openssl nftables)`);
  }
  const links: Record<string, boolean> = {};
  const cg = cgroupHierarchies();
  if (cg.length === 0) missing.push('no cgroup v1 hierarchy with controllers is mounted (the box runs kubelets with the cgroupfs driver on cgroup v1)');
  if (missing.length === 0) {
    const ns = `mnb-probe-${process.pid}`;
    const wasMounted = runNetnsMounted();
    if (run('ip', ['netns', 'add', ns]).status !== 0) {
      missing.push('cannot create a network namespace (ip netns add)');
    } else {
      try {
        run('ip', ['-n', ns, 'link', 'add', 'probe0', 'type', 'veth', 'peer', 'name', 'probe1']);
        for (const kind of PROBED) {
          const args = kind === 'bridge' ? ['link', 'add', 'probe2', 'type', 'bridge'] : ['link', 'add', 'link', 'probe0', 'name', 'probe2', 'type', kind];
          links[kind] = run('ip', ['-n', ns, ...args]).status === 0;
          run('ip', ['-n', ns, 'link', 'del', 'probe2']);
        }
      } finally {
        run('ip', ['netns', 'del', ns]);
        unmountRunNetnsIfUnused(wasMounted);
      }
    }
  }
  return { missing, links, cgroupHierarchies: cg };
}
