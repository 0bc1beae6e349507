import type { Command } from '../cli';

/**
 * A command whose module is loaded only when it runs (or shows its usage): `multinic validate` must not pay for
 * loading cdk8s, aws-cdk-lib or the AWS SDK that other commands need.
 */
function lazy(name: string, summary: string, load: () => Command): Command {
  let loaded: Command | undefined;
  const get = () => (loaded ??= load());
  return {
    name,
    summary,
    get usage() { return get().usage; },
    run: (args, io) => get().run(args, io),
  };
}

/** Every sub-command, in the order `multinic --help` lists them. Add one line per command. */
export const COMMANDS: Command[] = [
  lazy('validate', 'Check a network intent; exit 1 when it has errors', () => require('./validate').validateCommand),
  lazy('synth', 'Write the Kubernetes manifests for a network intent (all or nothing)', () => require('./synth').synthCommand),
  lazy('plan', 'Print the review document of a network intent: ENIs, subnets, networks, workloads, a Mermaid diagram', () => require('./plan').planCommand),
  lazy('diff', 'Show what changes between two network intents: networks, workloads, ENIs, replaced AWS resources', () => require('./diff').diffCommand),
  lazy('verify', 'Compare a deployed cluster with the intent: EC2 ENIs (--aws), pods and nodes (--k8s), connectivity self-test (--selftest)', () => require('./verify').verifyCommand),
  lazy('cluster', 'Run the intent on a local cluster of real kubelets and containerd (up, status, down)', () => require('./cluster').clusterCommand),
  lazy('instance-types', 'List instance types that fit multi-NIC nodes (ENIs, IPv4 per ENI, ENA, EFA), from the snapshot or --live.', () => require('./instance-types').instanceTypes),
];
