/** `status`: what runs of a box, found by its markers, and its nodes as the API server sees them. */
import * as fs from 'node:fs';
import { BoxNames } from './box';
import { listCgroups, listClusters, listNetns, listProcesses, roleOf } from './provider/discover';
import { run } from './provider/exec';

export interface BoxStatus {
  readonly cluster: string;
  readonly running: boolean;
  readonly kubeconfig?: string;
  readonly processes: readonly { readonly pid: number; readonly role: string; readonly node?: string }[];
  readonly namespaces: readonly string[];
  readonly cgroups: number;
  /** `kubectl get nodes` lines, when the API answers. */
  readonly nodes: readonly string[];
}

export function status(cluster: string, kubectlBin = 'kubectl'): BoxStatus {
  const names = new BoxNames(cluster);
  const procs = listProcesses(cluster);
  const processes = procs.map((p) => ({
    pid: p.pid,
    role: roleOf(p),
    ...(p.node !== undefined ? { node: p.node } : {}),
  }));
  let nodes: string[] = [];
  const kubeconfig = fs.existsSync(names.kubeconfig) ? names.kubeconfig : undefined;
  if (kubeconfig !== undefined && procs.some((p) => p.role === 'apiserver')) {
    const r = run(kubectlBin, ['--kubeconfig', kubeconfig, 'get', 'nodes', '--no-headers'], { timeoutMs: 10_000 });
    if (r.status === 0) nodes = r.stdout.split('\n').filter((l) => l.trim() !== '');
  }
  return {
    cluster, running: procs.some((p) => p.role === 'apiserver'), ...(kubeconfig ? { kubeconfig } : {}), processes,
    namespaces: listNetns(names.nsPrefix), cgroups: listCgroups(names.cgroup).length, nodes,
  };
}

export { listClusters };
