import { parseArgs } from 'node:util';
import { MultinicError } from '../../../lib/errors';
import { KubeClient, type KubeClientOptions } from '../../../lib/kube/client';
import { kubeconfigPath, loadKubeconfig } from '../../../lib/kube/kubeconfig';
import type { KubePod } from '../../../lib/kube/types';
import { buildModel } from '../../../lib/model/model';
import {
  CLIENT_ROLES, SELFTEST_NAMESPACE, SELFTEST_NETWORK_LABEL, SELFTEST_ROLE_LABEL, selftestNetworks, selftestReport,
  renderSelftestTable, type ClientRole, type ClientRun,
} from '../../../lib/selftest';
import type { Io } from '../../cli';
import { progressFor } from '../../progress';
import { intentToVerify, runMode } from './verify-common';

export const VERIFY_SELFTEST_USAGE = `Usage: multinic verify --selftest [--kubeconfig FILE] [--context NAME] [-i FILE] [--json]

Reads the connectivity self-test (deployed from \`multinic synth --with-selftest\`) from the cluster: the client pods
in namespace ${SELFTEST_NAMESPACE}, their logs' MULTINIC-SELFTEST lines, and prints one row per case of the intent's
matrix (network, from, to, via, same node, expected, result, status).

  --kubeconfig FILE  kubeconfig (default: first entry of $KUBECONFIG, else ~/.kube/config)
  --context NAME     context to use (default: current-context)
  -i, --input FILE   intent file (default: $MULTINIC_INTENT, else the embedded network-intent.yaml)
  --json             machine-readable rows

Needs list on pods and get on pods/log in ${SELFTEST_NAMESPACE}. Progress goes to stderr.
Exit status: 0 every case as expected, 1 a case differs or has not finished (or no self-test is deployed, or the
API cannot be reached), 2 usage error.`;

/** What --selftest needs from the outside world; tests shorten the timeout. */
export interface VerifySelftestDeps {
  readonly client?: KubeClientOptions;
  readonly env?: NodeJS.ProcessEnv;
}

type TimedPod = KubePod & { readonly metadata: KubePod['metadata'] & { readonly creationTimestamp?: string } };

/** `multinic verify --selftest ...`. Returns the exit code; never throws for user mistakes. */
export async function runVerifySelftest(args: string[], io: Io, deps: VerifySelftestDeps = {}): Promise<number> {
  const prog = 'multinic verify --selftest';
  return runMode(prog, VERIFY_SELFTEST_USAGE, io, async () => {
    const { values, positionals } = parseArgs({
      args: args.filter((a) => a !== '--selftest'),
      options: { kubeconfig: { type: 'string' }, context: { type: 'string' }, input: { type: 'string', short: 'i' }, json: { type: 'boolean' } },
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length > 0) throw new MultinicError('USAGE', `unexpected argument "${positionals[0]}"`);
    const networks = selftestNetworks(buildModel(intentToVerify(values.input, io)));
    if (networks.length === 0) {
      throw new MultinicError('SELFTEST_NOTHING', 'the intent has no network whose master interface a node group carries (ipvlan or macvlan), so there is no self-test to read.');
    }
    const client = new KubeClient(loadKubeconfig(kubeconfigPath(values.kubeconfig, deps.env ?? process.env), values.context), deps.client);
    const base = `/api/v1/namespaces/${SELFTEST_NAMESPACE}/pods`;
    const status = progressFor(io, { prefix: prog, json: values.json });
    const listed = await status.track(`pods in ${SELFTEST_NAMESPACE}`,
      client.list<TimedPod>(base, {}, { onPage: (page, total) => status.step(`pods in ${SELFTEST_NAMESPACE}: page ${page}, ${total} so far`) }));
    const pods = listed
      .filter((p) => (CLIENT_ROLES as readonly string[]).includes(p.metadata.labels?.[SELFTEST_ROLE_LABEL] ?? '') && p.metadata.labels?.[SELFTEST_NETWORK_LABEL])
      // oldest first: selftestReport takes the last pod of each client
      .sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''));
    if (pods.length === 0) {
      throw new MultinicError('SELFTEST_NOT_DEPLOYED', `no self-test client pods in namespace ${SELFTEST_NAMESPACE}; deploy the self-test with \`multinic synth --with-selftest -o dist\` and \`kubectl apply -f dist/\`, then run this again.`);
    }
    const latest = new Map<string, TimedPod>();
    for (const p of pods) latest.set(`${p.metadata.labels?.[SELFTEST_NETWORK_LABEL]} ${p.metadata.labels?.[SELFTEST_ROLE_LABEL]}`, p);
    const runs: ClientRun[] = [];
    for (const p of latest.values()) {
      const phase = p.status?.phase ?? 'Unknown';
      runs.push({
        pod: p.metadata.name,
        networkId: p.metadata.labels?.[SELFTEST_NETWORK_LABEL] ?? '',
        client: p.metadata.labels?.[SELFTEST_ROLE_LABEL] as ClientRole,
        phase,
        log: phase === 'Pending' ? undefined : await readLog(client, `${base}/${encodeURIComponent(p.metadata.name)}/log`),
      });
    }
    const rep = selftestReport(networks, runs);
    io.out(values.json ? JSON.stringify(rep, null, 2) : renderSelftestTable(rep));
    return rep.problems === 0 ? 0 : 1;
  });
}

/** A log, or undefined while the container has not started (the API answers 400 then). */
async function readLog(client: KubeClient, path: string): Promise<string | undefined> {
  try {
    return await client.getText(path, { container: 'client' });
  } catch (e) {
    if (e instanceof MultinicError && e.code === 'KUBE_API_ERROR' && /HTTP 400/.test(e.message)) return undefined;
    throw e;
  }
}
