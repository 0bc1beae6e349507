/**
 * Tears a box down from what it finds (cluster/box.ts markers): every process of the box is killed at once, then the
 * namespaces, the cgroups and the files are removed.
 *
 * No process is asked to stop gracefully, and no pod is removed through CRI first: everything the box made lives in
 * what this deletes. Pod links, addresses and nftables/iptables rules live in the pods' and nodes' network
 * namespaces; node state (containerd, kubelet, CNI caches, host-local IPAM, the pods' netns files) in tmpfs mounts of
 * the node's private mount namespace, which ends with its last process; Whereabouts' pools and everything else the
 * cluster stored in etcd, whose data directory goes with the box's files. Measured (bench/cluster.sh): the graceful
 * order that went before (kubelet SIGTERM, `crictl rmp` of every pod, containerd SIGTERM, the control plane role by
 * role) took ~41 s for 3 nodes, because neither the kubelet nor containerd nor the API server exits within 10 s of a
 * SIGTERM here; killing takes under a second.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type BoxNames, RUN_NETNS_MARKER } from './box';
import { runNetnsMounted, unmountRunNetnsIfUnused } from './provider/host';
import { listCgroups, listMounts, listNetns, listProcesses, pidsIn } from './provider/discover';
import { run, sleep } from './provider/exec';

export interface DownReport {
  readonly processes: number;
  readonly namespaces: readonly string[];
  readonly cgroups: number;
  readonly leftovers: readonly string[];
  /** Seconds per phase (where the time goes: bench/cluster.sh prints them). */
  readonly phases: Readonly<Record<string, number>>;
}

/**
 * Every process of the box: its markers (control plane, node holders and daemons, containerd's shims), whatever runs
 * in its cgroups (the pods' containers), and whatever runs in its network namespaces (anything entered by hand).
 */
export function boxPids(names: BoxNames): number[] {
  const pids = new Set<number>(listProcesses(names.cluster).map((p) => p.pid));
  for (const pid of pidsIn(listCgroups(names.cgroup))) pids.add(pid);
  for (const ns of listNetns(names.nsPrefix)) {
    for (const l of run('ip', ['netns', 'pids', ns], { timeoutMs: 10_000 }).stdout.split('\n')) if (/^\d+$/.test(l.trim())) pids.add(Number(l));
  }
  pids.delete(process.pid);
  return [...pids];
}

function cmdline(pid: number): string {
  try { return fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').filter((a) => a !== '').join(' '); } catch { return '(gone)'; }
}

/**
 * SIGKILLs every process of the box, again and again until none is left (a process may fork or a kubelet start a
 * container between one look and the kill), for at most `boundMs`. Returns how many distinct processes it killed.
 */
async function killAll(names: BoxNames, boundMs: number): Promise<number> {
  const killed = new Set<number>();
  const deadline = Date.now() + boundMs;
  for (;;) {
    const pids = boxPids(names);
    if (pids.length === 0 || Date.now() > deadline) break;
    for (const pid of pids) {
      try { process.kill(pid, 'SIGKILL'); killed.add(pid); } catch { /* gone */ }
    }
    await sleep(50);
  }
  return killed.size;
}

/** Tears down the box `names.cluster`; reports what it removed and anything it could not. */
export async function down(names: BoxNames, opts: { keepFiles?: boolean } = {}): Promise<DownReport> {
  const phases: Record<string, number> = {};
  let mark = Date.now();
  const phase = (name: string) => { phases[name] = (Date.now() - mark) / 1000; mark = Date.now(); };
  const processes = await killAll(names, 20_000);
  phase('processes');
  const namespaces = listNetns(names.nsPrefix);
  if (namespaces.length > 0) run('ip', ['-batch', '-'], { input: namespaces.map((ns) => `netns del ${ns}`).join('\n') + '\n' });
  phase('namespaces');
  const cgroups = listCgroups(names.cgroup);
  for (let attempt = 0; attempt < 100; attempt++) {
    for (const c of listCgroups(names.cgroup)) { try { fs.rmdirSync(c); } catch { /* busy or not empty yet */ } }
    if (listCgroups(names.cgroup).length === 0) break;
    await sleep(50);
  }
  // The box's top cgroup dirs when no other box uses them.
  for (const c of listCgroups(names.cgroup.split('/')[0])) {
    if (c.endsWith(names.cgroup.split('/')[0])) { try { fs.rmdirSync(c); } catch { /* another box */ } }
  }
  phase('cgroups');
  if (!opts.keepFiles) fs.rmSync(names.dir, { recursive: true, force: true });
  // The /run/netns bind mount, when a box made it and no namespace (of any box or anyone) is left.
  const marker = path.join(names.root, RUN_NETNS_MARKER);
  if (fs.existsSync(marker)) {
    unmountRunNetnsIfUnused(false);
    if (!runNetnsMounted()) fs.rmSync(marker, { force: true });
  }
  phase('files');
  const leftovers = [
    ...boxPids(names).map((pid) => `process ${pid} ${cmdline(pid)}`),
    ...listNetns(names.nsPrefix).map((n) => `network namespace ${n}`),
    ...listCgroups(names.cgroup).map((c) => `cgroup ${c}`),
    ...listMounts(names.nsPrefix, names.dir).map((m) => `mount ${m}`),
  ];
  phase('check');
  return { processes, namespaces, cgroups: cgroups.length, leftovers, phases };
}
