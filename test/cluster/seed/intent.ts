/**
 * Which intent the seed suites' boxes run, chosen from a real probe of this kernel, and what the scenarios look up
 * in it. Pure but for `seedIntent()`, which probes (`hostInfo().links`: `ip link add ... type ipvlan` in a scratch
 * network namespace, cluster/provider/host.ts).
 */
import { join } from 'node:path';
import { hostInfo } from '../../../cluster/provider/host';
import type { KernelLinks } from '../../../cluster/topology';
import type { IntentModel, ResolvedNetwork, ResolvedWorkload } from '../../../lib/model/model';

const REPO = join(__dirname, '..', '..', '..');

export interface SeedIntent {
  readonly file: string;
  /**
   * `ipvlan`: the default intent (network-intent.yaml: the seed's lab with every network on per-node ENI prefixes over
   * ipvlan, `spec.platform: aws`), so the box's VPC rule is on, as on AWS. `macvlan`: the seed's host-local and
   * Whereabouts networks as macvlan with `spec.platform: generic` (test/fixtures/cluster/seed-whereabouts-generic.yaml),
   * the VPC rule off.
   */
  readonly variant: 'ipvlan' | 'macvlan';
}

/** The seed intent for a kernel whose link types are `links` (the AWS-faithful one when it can create ipvlan links). */
export function seedIntentFor(links: KernelLinks): SeedIntent {
  return links.ipvlan === true
    ? { file: join(REPO, 'network-intent.yaml'), variant: 'ipvlan' }
    : { file: join(REPO, 'test', 'fixtures', 'cluster', 'seed-whereabouts-generic.yaml'), variant: 'macvlan' };
}

/** The seed intent for this machine's kernel, probed. */
export function seedIntent(): SeedIntent {
  return seedIntentFor(hostInfo().links);
}

/** What test 7 (item 2) uses of the intent: the notes' Red Hat demo. */
export interface Test7Parts {
  /** The Deployment serving the ConfigMap page over its network. */
  readonly deploy: ResolvedWorkload;
  readonly net: ResolvedNetwork;
  readonly ns: string;
  /** The client Pod with the network, and the one without any. */
  readonly client: ResolvedWorkload;
  readonly nonet: ResolvedWorkload;
  /** The page (the ConfigMap's index.html). */
  readonly page: string;
  /** The Deployment's pods' label selector. */
  readonly selector: string;
}

/** Test 7's parts in a seed intent; throws naming what is missing. */
export function test7Parts(model: IntentModel): Test7Parts {
  const deploy = model.workloads.find((x) => x.workload.kind === 'Deployment' && x.workload.container.mounts.length > 0 && x.attachments.length > 0);
  if (!deploy) throw new Error('the seed intent has no Deployment with a ConfigMap mount and a network');
  const net = deploy.attachments[0].network!;
  const ns = deploy.workload.namespace;
  const client = model.workloads.find((x) => x.workload.kind === 'Pod' && x.workload.namespace === ns && x.attachments.some((a) => a.network === net));
  const nonet = model.workloads.find((x) => x.workload.kind === 'Pod' && x.workload.namespace === ns && x.attachments.length === 0);
  const cm = model.intent.spec.configMaps.find((c) => c.namespace === ns && c.name === deploy.workload.container.mounts[0].configMap);
  if (!client || !nonet || !cm?.data['index.html']) throw new Error(`the seed intent lacks test 7's client with ${net.key}, its client without networks, or the page's ConfigMap in ${ns}`);
  const selector = Object.entries(deploy.workload.labels).map(([k, v]) => `${k}=${v}`).join(',');
  return { deploy, net: net, ns, client, nonet, page: cm.data['index.html'], selector };
}

/** Item 1's sample pod: the Pod in namespace default with a network. */
export function samplePod(model: IntentModel): ResolvedWorkload {
  const w = model.workloads.find((x) => x.workload.kind === 'Pod' && x.attachments.length > 0 && x.workload.namespace === 'default');
  if (!w) throw new Error('the seed intent has no Pod with a network in namespace default (the notes\' multus-sample-pod)');
  return w;
}
