/**
 * Tears a box down from what it finds (cluster/box.ts markers), in the order that lets CNI DEL run: per node, the
 * kubelet stops, then `crictl rmp` removes workload pods before kube-system ones (a 60 s bound: the default 2 s
 * kills multus-shim mid-DEL), then containerd and whatever is left in the node's cgroups; then the control plane
 * (API server before etcd), the namespaces, the cgroups and the files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type BoxNames, RUN_NETNS_MARKER } from './box';
import { runNetnsMounted, unmountRunNetnsIfUnused } from './provider/host';
import { isHolder, listCgroups, listMounts, listNetns, listProcesses, pidsIn } from './provider/discover';
import { run, runAsync, sleep } from './provider/exec';

export interface DownReport {
  readonly processes: number;
  readonly namespaces: readonly string[];
  readonly cgroups: number;
  readonly leftovers: readonly string[];
}

function kill(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try { process.kill(pid, signal); } catch { /* gone */ }
  }
}

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

async function stop(pids: readonly number[], graceMs: number): Promise<void> {
  kill(pids, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (pids.some(alive) && Date.now() < deadline) await sleep(100);
  kill(pids.filter(alive), 'SIGKILL');
}

/** Removes the pods of one node through CRI, workload pods first. */
async function drainNode(holder: number, crictl: string | undefined): Promise<void> {
  if (crictl === undefined) return;
  const ns = ['nsenter', '-t', String(holder), '-m', '-n', '--'];
  const cri = [crictl, '--runtime-endpoint', 'unix:///run/containerd/containerd.sock', '-t', '60s'];
  const list = await runAsync(ns[0], [...ns.slice(1), ...cri, 'pods', '-o', 'json'], { timeoutMs: 20_000 });
  if (list.status !== 0) return;
  let items: { id: string; metadata?: { namespace?: string } }[] = [];
  try { items = (JSON.parse(list.stdout) as { items?: typeof items }).items ?? []; } catch { return; }
  const workload = items.filter((p) => p.metadata?.namespace !== 'kube-system').map((p) => p.id);
  const system = items.filter((p) => p.metadata?.namespace === 'kube-system').map((p) => p.id);
  for (const ids of [workload, system]) {
    if (ids.length > 0) await runAsync(ns[0], [...ns.slice(1), ...cri, 'rmp', '-f', ...ids], { timeoutMs: 70_000 });
  }
}

/** Tears down the box `names.cluster`. `crictl` is the built binary (pods are removed through CRI when given). */
export async function down(names: BoxNames, opts: { crictl?: string; keepFiles?: boolean } = {}): Promise<DownReport> {
  const all = listProcesses(names.cluster);
  const nodes = [...new Set(all.map((p) => p.node).filter((n): n is string => n !== undefined))];
  await Promise.all(nodes.map(async (node) => {
    const procs = () => listProcesses(names.cluster).filter((p) => p.node === node);
    const holder = procs().find(isHolder);
    const kubelet = procs().filter((p) => /(^|\/)kubelet /.test(p.cmdline)).map((p) => p.pid);
    await stop(kubelet, 10_000);
    if (holder !== undefined) await drainNode(holder.pid, opts.crictl);
    const containerd = procs().filter((p) => /(^|\/)containerd /.test(p.cmdline)).map((p) => p.pid);
    await stop(containerd, 10_000);
    await stop(pidsIn(listCgroups(names.nodeCgroup(node))), 5_000);
    await stop(procs().map((p) => p.pid), 5_000);
  }));
  const cp = () => listProcesses(names.cluster);
  for (const role of ['forwarder', 'registry', 'scheduler', 'controller-manager', 'apiserver', 'etcd']) {
    await stop(cp().filter((p) => p.role === role).map((p) => p.pid), 10_000);
  }
  await stop(cp().map((p) => p.pid), 5_000);
  await stop(pidsIn(listCgroups(names.cgroup)), 5_000);
  const namespaces = listNetns(names.nsPrefix);
  for (const ns of namespaces) run('ip', ['netns', 'del', ns]);
  const cgroups = listCgroups(names.cgroup);
  for (let attempt = 0; attempt < 20; attempt++) {
    for (const c of listCgroups(names.cgroup)) { try { fs.rmdirSync(c); } catch { /* busy or not empty yet */ } }
    if (listCgroups(names.cgroup).length === 0) break;
    await sleep(250);
  }
  // The box's top cgroup dirs when no other box uses them.
  for (const c of listCgroups(names.cgroup.split('/')[0])) {
    if (c.endsWith(names.cgroup.split('/')[0])) { try { fs.rmdirSync(c); } catch { /* another box */ } }
  }
  if (!opts.keepFiles) fs.rmSync(names.dir, { recursive: true, force: true });
  // The /run/netns bind mount, when a box made it and no namespace (of any box or anyone) is left.
  const marker = path.join(names.root, RUN_NETNS_MARKER);
  if (fs.existsSync(marker)) {
    unmountRunNetnsIfUnused(false);
    if (!runNetnsMounted()) fs.rmSync(marker, { force: true });
  }
  const leftovers = [
    ...listProcesses(names.cluster).map((p) => `process ${p.pid} ${p.cmdline}`),
    ...listNetns(names.nsPrefix).map((n) => `network namespace ${n}`),
    ...listCgroups(names.cgroup).map((c) => `cgroup ${c}`),
    ...listMounts(names.nsPrefix, names.dir).map((m) => `mount ${m}`),
  ];
  return { processes: all.length, namespaces, cgroups: cgroups.length, leftovers };
}
