/**
 * The seed notes' five failures (issue 19, item 3), in one table that the validation tests (phase 1) and the local
 * cluster's tests (phase 2) both read: where each failure is written down as an intent multinic must refuse, as the
 * manifest the notes applied by hand, what multinic says, and what the cluster itself says when it gets the manifest
 * anyway.
 */
import { join } from 'node:path';

export const SEED_FIXTURES = join(__dirname, '..', 'fixtures', 'seed');

export interface SeedFailure {
  /** 1 to 5, the order of docs/seed-walkthrough.md. */
  readonly n: number;
  readonly title: string;
  /** The intent that `multinic validate` refuses (under test/fixtures/seed/), or none when the failure is a node's state. */
  readonly intent?: string;
  /** The finding it refuses it with. */
  readonly finding: string;
  /** The notes' hand-written manifest, for the local cluster (under test/fixtures/seed/). */
  readonly manifest?: string;
  /** What the cluster itself reports when it gets the manifest (a pod event's message, or a pod phase). */
  readonly clusterSays: RegExp;
  /** Where else this is proven (tests outside test/seed). */
  readonly alsoProvenBy?: string;
}

export const SEED_FAILURES: readonly SeedFailure[] = [
  {
    n: 1,
    title: 'a misspelt IPAM plugin ("whereaboutsss")',
    intent: 'failure-1-whereaboutsss.intent.yaml',
    finding: 'multinic:UnknownIpamPlugin',
    manifest: 'failure-1-whereaboutsss.yaml',
    clusterSays: /failed to find plugin "whereaboutsss" in path/,
  },
  {
    n: 2,
    title: 'a NetworkAttachmentDefinition in another namespace than its pod',
    intent: 'failure-2-nad-other-namespace.intent.yaml',
    finding: 'multinic:NetworkNotFound',
    manifest: 'failure-2-nad-other-namespace.yaml',
    clusterSays: /cannot find a network-attachment-definition \(whereabouts-eth1-conf-default\) in namespace \(dcjeon\)/,
  },
  {
    n: 3,
    title: 'a pod on a node without the network\'s interface (eth1)',
    intent: 'failure-3-node-without-interface.intent.yaml',
    finding: 'multinic:MasterNotOnAnyNode',
    manifest: 'failure-3-node-without-interface.yaml',
    // The macvlan plugin: `failed to lookup master "eth1": Link not found`.
    clusterSays: /Link not found/,
  },
  {
    n: 4,
    title: 'an ENI with a MAC address and no IPv4 address (a node without multinic\'s in-guest setup)',
    finding: 'verify --k8s: taint multinic.dev/networks-not-ready MISSING on the node',
    clusterSays: /multinic\.dev\/networks-not-ready/,
    alsoProvenBy: 'test/kube/verify-k8s-command.test.ts ("a node booted without the in-guest setup"), test/node/multinic-eni.test.ts (the readiness marker)',
  },
  {
    n: 5,
    title: 'macvlan pods on two nodes unreachable over net1 (AWS)',
    intent: 'failure-5-macvlan-across-nodes.intent.yaml',
    finding: 'multinic:MacvlanOnEni',
    manifest: 'failure-5-macvlan-across-nodes.yaml',
    // With the box's VPC rule on, the replicas' pings over net1 fail (test/cluster/seed-failures.test.ts switches the
    // rule on where the box runs without it); with the rule off they pass. The VM shows the drop at CNI level.
    clusterSays: /src_mac_unknown/,
    alsoProvenBy: 'test/vm/vm.test.ts ("the seed\'s failure: macvlan pods on two nodes are dropped for their made-up source MAC")',
  },
];
