import { parseArgs } from 'node:util';
import { MultinicError } from '../../../lib/errors';
import type { Workload } from '../../../lib/intent/types';
import { KubeClient, type KubeClientOptions } from '../../../lib/kube/client';
import { kubeconfigPath, loadKubeconfig } from '../../../lib/kube/kubeconfig';
import type { KubeNode, KubePod } from '../../../lib/kube/types';
import { buildModel } from '../../../lib/model/model';
import { podQuery, verifyCluster } from '../../../lib/verify/k8s';
import type { Io } from '../../cli';
import { progressFor } from '../../progress';
import { intentToVerify, printRows, runMode } from './verify-common';

export const VERIFY_K8S_USAGE = `Usage: multinic verify --k8s [--kubeconfig FILE] [--context NAME] [-i FILE] [--problems-only] [--json]

Compares the intent with the cluster: nodes per group (label multinic.dev/node-group), their interface labels
(multinic.dev/interface-<name>=true) and readiness (no taint multinic.dev/networks-not-ready left: the in-guest
setup configured every secondary interface); for every workload with secondary networks, the running pods and, in each pod's
k8s.v1.cni.cncf.io/network-status, every intended interface (netN or @ifname) from the intended network with an
address inside the intended range (host-local ranges, whereabouts range minus exclude, static addresses,
eni-prefix: the subnet of the node's master ENI).

  --kubeconfig FILE  kubeconfig (default: first entry of $KUBECONFIG, else ~/.kube/config)
  --context NAME     context to use (default: current-context)
  -i, --input FILE   intent file (default: $MULTINIC_INTENT, else the embedded network-intent.yaml)
  --problems-only    print only rows that differ (the summary still counts all)
  --json             machine-readable rows

Needs get/list on nodes and pods. Progress goes to stderr.
Exit status: 0 as intended, 1 drift (or the API cannot be reached or refuses the credentials), 2 usage error.`;

/** What --k8s needs from the outside world; tests shorten the timeout or the page size. */
export interface VerifyK8sDeps {
  readonly client?: KubeClientOptions;
  /** Items per list page. @default 500 */
  readonly pageSize?: number;
  readonly env?: NodeJS.ProcessEnv;
}

/** `multinic verify --k8s ...` (args without `--k8s`). Returns the exit code; never throws for user mistakes. */
export async function runVerifyK8s(args: string[], io: Io, deps: VerifyK8sDeps = {}): Promise<number> {
  const prog = 'multinic verify --k8s';
  return runMode(prog, VERIFY_K8S_USAGE, io, async () => {
    const { values, positionals } = parseArgs({
      args: args.filter((a) => a !== '--k8s'),
      options: {
        kubeconfig: { type: 'string' }, context: { type: 'string' }, input: { type: 'string', short: 'i' },
        json: { type: 'boolean' }, 'problems-only': { type: 'boolean' },
      },
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length > 0) throw new MultinicError('USAGE', `unexpected argument "${positionals[0]}"`);
    const intent = intentToVerify(values.input, io);
    const model = buildModel(intent);
    const creds = loadKubeconfig(kubeconfigPath(values.kubeconfig, deps.env ?? process.env), values.context);
    const client = new KubeClient(creds, deps.client);
    const status = progressFor(io, { prefix: prog, json: values.json });
    const progress = (what: string) => (page: number, total: number) => status.step(`${what}: page ${page}, ${total} so far`);
    const byQuery = new Map<string, readonly KubePod[]>();
    const queryOf = new Map<Workload, string>();
    let nodes: readonly KubeNode[];
    try {
      status.step('nodes');
      nodes = await client.list<KubeNode>('/api/v1/nodes', {}, { pageSize: deps.pageSize, onPage: progress('nodes') });
      for (const rw of model.workloads) {
        if (rw.attachments.length === 0) continue;
        const q = podQuery(rw.workload);
        const key = JSON.stringify(q);
        queryOf.set(rw.workload, key);
        if (byQuery.has(key)) continue;
        const what = `pods in ${q.namespace}${q.labelSelector ? ` (${q.labelSelector})` : ''}${q.fieldSelector ? ` (${q.fieldSelector})` : ''}`;
        byQuery.set(key, await client.list<KubePod>(`/api/v1/namespaces/${encodeURIComponent(q.namespace)}/pods`,
          { labelSelector: q.labelSelector, fieldSelector: q.fieldSelector }, { pageSize: deps.pageSize, onPage: progress(what) }));
      }
    } finally {
      status.end();
    }
    const rows = verifyCluster(model, nodes, (w) => byQuery.get(queryOf.get(w) ?? '') ?? []);
    return printRows(io, rows, { json: values.json, problemsOnly: values['problems-only'], subjectHeader: 'OBJECT' });
  });
}
