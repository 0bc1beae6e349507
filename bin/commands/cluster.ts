import { parseArgs } from 'node:util';
import type { Command } from '../cli';
import { MultinicError } from '../../lib/errors';
import { loadAndValidate } from './private/intent-input';

/** The box's own kubectl when its build is named, else the one on PATH. */
const kubectlBin = (): string => (process.env.MULTINIC_BOX_ARTIFACTS ? `${process.env.MULTINIC_BOX_ARTIFACTS}/bin/kubectl` : 'kubectl');

const USAGE = [
  'Usage: multinic cluster up [-i FILE] [--name NAME] [--json] [--timeout SECONDS] [--hold-eni-setup NODE]... [--bare]',
  '       multinic cluster status [--name NAME] [--json]',
  '       multinic cluster down [--name NAME | --all] [--json]',
  '       multinic cluster check                 exit 0 when a cluster can run here, else 1 saying why',
  '       multinic cluster eni-setup [--name NAME] NODE    run a held-back node\'s in-guest ENI setup now',
  '       multinic cluster remove-node [--name NAME] NODE  stop a node and delete its Node object (an instance terminated)',
  '',
  'A local cluster with real nodes on this machine (root, Linux namespaces): a control plane, one node per node of the',
  'intent (workers capped at 2 per group) with containerd, kubelet and kube-proxy, booted as on EC2; the intent\'s',
  'manifests applied unchanged. `up` on a running cluster applies the changed intent (server-side apply, pruning).',
  '`down` removes every process, namespace, cgroup and file it made, also after a crash. docs/local-cluster.md.',
  '',
  '  -i, --input FILE  intent file (default: $MULTINIC_INTENT, else the embedded network-intent.yaml)',
  '  --name NAME       cluster name (default: multinic); several clusters can run side by side',
  '  --json            no status lines; one JSON report on stdout',
  '  --timeout S       how long up waits for everything to be ready (default 240)',
  '  --hold-eni-setup NODE  boot NODE without the in-guest ENI setup: it keeps the readiness taint until eni-setup',
  '  --bare            control plane and nodes only, nothing applied; waits for the nodes (bench/cluster.sh\'s floor)',
  '',
  'Binaries and images come from `bash cluster/build/build.sh` (pinned, cached) or $MULTINIC_BOX_ARTIFACTS.',
].join('\n');

export const clusterCommand: Command = {
  name: 'cluster',
  summary: 'Run the intent on a local cluster of real kubelets and containerd (up, status, down)',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true, strict: true,
      options: {
        input: { type: 'string', short: 'i' }, name: { type: 'string' }, json: { type: 'boolean' }, all: { type: 'boolean' }, timeout: { type: 'string' },
        'hold-eni-setup': { type: 'string', multiple: true }, bare: { type: 'boolean' },
      },
    });
    const verb = positionals[0];
    const name = values.name ?? 'multinic';
    const box = await import('../../cluster');
    const bad = box.checkClusterName(name);
    if (bad !== undefined) throw new MultinicError('USAGE', `--name: ${bad}`);
    if (verb === 'up') {
      const loaded = loadAndValidate(values.input, io, values.json);
      if (!loaded.valid || loaded.intent === undefined) throw new MultinicError('INVALID_INTENT', `${loaded.file} is not a valid intent: fix the errors above (multinic validate -i ${loaded.file})`);
      const timeout = values.timeout !== undefined ? Number(values.timeout) : 240;
      if (!Number.isFinite(timeout) || timeout <= 0) throw new MultinicError('USAGE', `--timeout: "${values.timeout}" is not a number of seconds`);
      const report = await box.up({ intent: loaded.intent, intentFile: loaded.file, cluster: name, readyTimeoutMs: timeout * 1000, holdEniSetup: values['hold-eni-setup'] ?? [], bare: values.bare ?? false, out: values.json ? undefined : (l) => io.err(l) })
        .catch((e: Error) => { throw new MultinicError('CLUSTER', e.message); });
      if (values.json) io.out(JSON.stringify(report, null, 2));
      else if (report.ok) io.out(`cluster ${name} is ready in ${report.seconds.toFixed(1)} s; from your shell:\n  export KUBECONFIG=${report.kubeconfig}\n  kubectl get pods -A`);
      else io.err(`cluster ${name} is not ready; logs under ${new box.BoxNames(name).dir}; \`npm run cluster -- down${name !== 'multinic' ? ` --name ${name}` : ''}\` removes it`);
      return report.ok ? 0 : 1;
    }
    if (verb === 'check') {
      const s = (await import('../../cluster/testing')).boxSupport();
      if (values.json) io.out(JSON.stringify(s));
      else io.err(s.ok ? `the local cluster can run here (artifacts ${s.artifacts})` : `the local cluster cannot run here: ${s.reason}`);
      return s.ok ? 0 : 1;
    }
    if (verb === 'eni-setup' || verb === 'remove-node') {
      const node = positionals[1];
      if (node === undefined) throw new MultinicError('USAGE', `${verb} needs a node name`);
      const names = new box.BoxNames(name);
      const { runEniSetup, holderPid, stopNode } = await import('../../cluster/provider/node');
      if (holderPid(names, node) === undefined) throw new MultinicError('CLUSTER', `node ${node} of cluster ${name} is not running`);
      if (verb === 'eni-setup') {
        const r = runEniSetup(names, node);
        io.err(`${node}: ENI setup exit ${r.status} (${names.nodeDir(node)}/eni.log)${r.stderr.trim() !== '' ? `: ${r.stderr.trim()}` : ''}`);
        return r.status === 0 ? 0 : 1;
      }
      const left = await stopNode(names, node);
      if (left.length > 0) throw new MultinicError('CLUSTER', `node ${node}: still running after SIGKILL: ${left.join(', ')}`);
      const { run } = await import('../../cluster/provider/exec');
      const r = run(kubectlBin(), ['--kubeconfig', names.kubeconfig, 'delete', 'node', node, '--wait=false']);
      io.err(`${node}: every process but the namespaces' holder stopped; ${r.status === 0 ? 'Node deleted' : `kubectl delete node failed: ${r.stderr.trim()}`}`);
      return r.status === 0 ? 0 : 1;
    }
    if (verb === 'status') {
      const s = box.status(name, kubectlBin());
      if (values.json) { io.out(JSON.stringify({ ...s, clusters: box.listClusters() }, null, 2)); return 0; }
      io.out(`cluster ${name}: ${s.running ? 'running' : s.processes.length > 0 || s.namespaces.length > 0 ? 'partly there (run down)' : 'not running'}`);
      if (s.kubeconfig) io.out(`kubeconfig: ${s.kubeconfig}`);
      const roles = new Map<string, number>();
      for (const p of s.processes) roles.set(`${p.node ?? 'control plane'}: ${p.role}`, (roles.get(`${p.node ?? 'control plane'}: ${p.role}`) ?? 0) + 1);
      for (const [k, n] of roles) io.out(`  ${k}${n > 1 ? ` x${n}` : ''}`);
      for (const l of s.nodes) io.out(`  ${l}`);
      const others = box.listClusters().filter((c) => c !== name);
      if (others.length > 0) io.out(`other clusters: ${others.join(', ')}`);
      return 0;
    }
    if (verb === 'down') {
      const clusters = values.all ? box.listClusters() : [name];
      const reports = [];
      for (const c of clusters) {
        const t = Date.now();
        const r = await box.down(new box.BoxNames(c));
        reports.push({ cluster: c, seconds: (Date.now() - t) / 1000, ...r });
        if (!values.json) io.err(`cluster ${c}: removed ${r.processes} process(es), ${r.namespaces.length} network namespace(s), ${r.cgroups} cgroup(s) in ${((Date.now() - t) / 1000).toFixed(1)} s${r.leftovers.length > 0 ? `; LEFT: ${r.leftovers.join(', ')}` : ''}`);
      }
      if (values.json) io.out(JSON.stringify(reports, null, 2));
      return reports.every((r) => r.leftovers.length === 0) ? 0 : 1;
    }
    throw new MultinicError('USAGE', `say up, status or down (got ${verb === undefined ? 'nothing' : `"${verb}"`}); multinic cluster --help`);
  },
};
