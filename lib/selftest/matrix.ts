/**
 * The connectivity self-test's matrix (the seed notes' Test 7, for every secondary network on a node interface):
 * which pods exist, which pings run, and what each should give. Pure: the chart renders it, the client script runs
 * it, `multinic verify --selftest` compares the cluster's results with it.
 */
import { createHash } from 'node:crypto';
import type { NetworkIntent } from '../intent/types';
import type { IntentModel, ResolvedNetwork } from '../model/model';

type Platform = NetworkIntent['spec']['platform'];

/** Namespace of every self-test object (pods, Jobs, ServiceAccount, Role). */
export const SELFTEST_NAMESPACE = 'multinic-selftest';

/** Pinned image of servers and clients: bash, curl, jq and iputils ping. */
export const SELFTEST_IMAGE = 'docker.io/nicolaka/netshoot:v0.13';

/** Label on every self-test pod: which network it tests (`selftestId`). */
export const SELFTEST_NETWORK_LABEL = 'multinic.dev/selftest-network';
/** Label on every self-test pod: `server` or the client role. */
export const SELFTEST_ROLE_LABEL = 'multinic.dev/selftest-role';

/** Tunables the chart writes into the Jobs; one constant so docs and tests read the same numbers. */
export const SELFTEST_DEFAULTS = {
  /** How long a client waits for its servers to run and have both addresses. */
  waitSeconds: 300,
  /** `ping -c`. */
  pingCount: 3,
  /** `ping -W`, seconds per reply. */
  pingTimeoutSeconds: 1,
  /** Job `activeDeadlineSeconds`: the wait plus every ping, with room to spare. */
  activeDeadlineSeconds: 600,
} as const;

/** Client with the network attached as net1, or without it (the seed's client pod 2). */
export type ClientRole = 'attached' | 'unattached';
export const CLIENT_ROLES: readonly ClientRole[] = ['attached', 'unattached'];
/** The pod interface a case pings over. */
export type Via = 'eth0' | 'net1';
export type Outcome = 'pass' | 'fail';

/** The interface the attachment gets in the attached client and the servers (Multus' default for position 0). */
export const SELFTEST_IFNAME = 'net1';

export interface SelftestServer {
  /** Pinned pod name. */
  readonly pod: string;
  /** Whether it is scheduled on the clients' node (server A) or on another node (server B). */
  readonly sameNode: boolean;
}

export interface SelftestCase {
  readonly client: ClientRole;
  /** Server pod name. */
  readonly server: string;
  readonly via: Via;
  readonly sameNode: boolean;
  readonly expect: Outcome;
  /** Why this expectation, for the docs and `--json`. */
  readonly why: string;
}

export interface SelftestNetwork {
  readonly network: ResolvedNetwork;
  /** DNS-1123 label naming this network's objects: the network name (cut to 40) and 8 hex of its key. */
  readonly id: string;
  /** Whether net1 traffic crosses nodes (`crossNodeRoutable`: eni-prefix over ipvlan on AWS; all but host-local on generic). */
  readonly crossNodeRoutable: boolean;
  /** Server A (clients' node) and, when two nodes carry the master, server B (another node). */
  readonly servers: readonly SelftestServer[];
  readonly cases: readonly SelftestCase[];
}

/** A stable, DNS-1123 id for a network: readable, unique per `namespace/name`. */
export function selftestId(network: ResolvedNetwork): string {
  const hash = createHash('sha256').update(network.key).digest('hex').slice(0, 8);
  return `${network.network.name.slice(0, 40).replace(/-+$/, '')}-${hash}`;
}

/** Name of the Job of one client role. */
export function clientJobName(id: string, client: ClientRole): string {
  return `${id}-${client}`;
}

/**
 * Whether net1 traffic crosses nodes. On AWS (`spec.platform: aws`) only eni-prefix addresses are assigned to the
 * ENI, so only they are delivered by the VPC (multinic:NotRoutableBetweenNodes); macvlan children's MACs are dropped
 * whatever the IPAM (multinic:MacvlanOnEni). On a network that accepts any MAC and address (`generic`: on-premises
 * switches, the local cluster with its VPC rule off) every network crosses nodes except host-local, whose pool is
 * per node over one range, so two nodes hand out the same addresses (multinic:HostLocalAcrossNodes).
 *
 * @param platform where the secondary networks run @default 'aws'
 */
export function crossNodeRoutable(network: ResolvedNetwork, platform: Platform = 'aws'): boolean {
  if (platform === 'generic') return network.network.ipam.type !== 'host-local';
  return network.network.type !== 'macvlan' && network.network.ipam.type === 'eni-prefix';
}

function expectation(client: ClientRole, via: Via, sameNode: boolean, routable: boolean, network: ResolvedNetwork, platform: Platform): { expect: Outcome; why: string } {
  if (via === 'eth0') return { expect: 'pass', why: 'cluster network' };
  if (client === 'unattached') return { expect: 'fail', why: 'client has no net1 (seed test 7, client pod 2)' };
  if (sameNode) return { expect: 'pass', why: `same node, same ${network.network.type} master` };
  if (platform === 'generic') {
    return routable
      ? { expect: 'pass', why: 'spec.platform generic: the network between nodes carries any MAC and address' }
      : { expect: 'fail', why: 'host-local hands out the same addresses on every node (multinic:HostLocalAcrossNodes)' };
  }
  if (routable) return { expect: 'pass', why: 'eni-prefix addresses are assigned to the ENI' };
  return network.network.type === 'macvlan'
    ? { expect: 'fail', why: 'the VPC drops macvlan MACs (multinic:MacvlanOnEni)' }
    : { expect: 'fail', why: `${network.network.ipam.type} addresses are not assigned to the ENI (multinic:NotRoutableBetweenNodes)` };
}

/**
 * The networks the self-test covers, in intent order: those whose master interface some node group carries.
 * host-device networks are left out: the plugin moves the node's device into one pod, so no node holds two attached
 * pods and the same-node case cannot exist. Server B exists only when the groups carrying the master have two nodes.
 */
export function selftestNetworks(model: IntentModel): SelftestNetwork[] {
  return model.networks
    .filter((n) => n.master !== undefined && n.nodeGroups.length > 0 && n.network.type !== 'host-device')
    .map((network) => {
      const id = selftestId(network);
      const nodes = network.nodeGroups.reduce((sum, g) => sum + g.count, 0);
      const servers: SelftestServer[] = [{ pod: `${id}-server-a`, sameNode: true }];
      if (nodes >= 2) servers.push({ pod: `${id}-server-b`, sameNode: false });
      const platform = model.intent.spec.platform;
      const routable = crossNodeRoutable(network, platform);
      const cases = CLIENT_ROLES.flatMap((client) => servers.flatMap((s) => (['eth0', 'net1'] as const).map((via): SelftestCase => ({
        client, server: s.pod, via, sameNode: s.sameNode, ...expectation(client, via, s.sameNode, routable, network, platform),
      }))));
      return { network, id, crossNodeRoutable: routable, servers, cases };
    });
}
