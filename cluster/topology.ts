/**
 * The box's shape for an intent: which nodes run (workers capped per group), their primary and secondary
 * interfaces with the MACs, addresses and delegated prefixes that their mock IMDS reports, the bridges that stand in
 * for the VPC's subnets, and which networks can attach on this kernel. Pure: no process, no file.
 */
import type { NetworkIntent } from '../lib/intent/types';
import { Ipv4Address, Ipv4Cidr } from '../lib/net/ipv4';
import { NETWORKS_NOT_READY_TAINT } from '../lib/readiness';
import { nodeLabels } from '../lib/node/node-labels';
import { MGMT, WORKERS_PER_GROUP } from './box';

export interface BoxEni {
  /** The stable name the intent gives it (multus0); the ENI script renames the kernel's name to it. */
  readonly name: string;
  /** The name the link has when the node boots, as the kernel would name a NIC (ens6, ens7, ...). */
  readonly kernelName: string;
  readonly mac: string;
  readonly deviceNumber: number;
  readonly subnetName: string;
  readonly subnetCidr: string;
  readonly ips: readonly string[];
  readonly prefixes: readonly string[];
  /** Bridge (in the VPC namespace) of its subnet. */
  readonly bridge: string;
  /** Name of the bridge port (the veth peer) in the VPC namespace. */
  readonly port: string;
}

export interface BoxNode {
  readonly name: string;
  readonly group: string;
  readonly role: 'control-plane' | 'worker';
  /** Primary address on the management network. */
  readonly ip: string;
  readonly mac: string;
  readonly port: string;
  readonly labels: readonly string[];
  readonly taints: readonly string[];
  readonly enis: readonly BoxEni[];
}

export type LinkSupport = { readonly ok: true } | { readonly ok: false; readonly why: string };

export interface BoxNetwork {
  readonly key: string;
  readonly type: string;
  readonly master?: string;
  /** Whether this kernel can create its links, and if not why. */
  readonly support: LinkSupport;
}

export interface BoxTopology {
  readonly platform: 'aws' | 'generic';
  /** The VPC rule (nftables on the subnet bridges): on for AWS intents. */
  readonly vpcRule: boolean;
  readonly kubernetesVersion: string;
  readonly podCidr: string;
  readonly serviceCidr: string;
  readonly vpcCidr: string;
  readonly mtu: number;
  readonly nodes: readonly BoxNode[];
  readonly subnets: readonly { readonly name: string; readonly cidr: string; readonly bridge: string }[];
  /** Groups whose count was capped: the intent's count and how many run. */
  readonly capped: readonly { readonly group: string; readonly count: number; readonly running: number }[];
  readonly networks: readonly BoxNetwork[];
}

/** Link types this kernel can create, as probed by the provider (e.g. `{ ipvlan: false, macvlan: true }`). */
export type KernelLinks = Readonly<Record<string, boolean>>;

const hex = (n: number) => n.toString(16).padStart(2, '0');

/** Builds the topology; `kernel` says which link types work here. */
export function boxTopology(intent: NetworkIntent, kernel: KernelLinks, workersPerGroup = WORKERS_PER_GROUP): BoxTopology {
  const spec = intent.spec;
  const subnets = spec.subnets.map((s, i) => ({ name: s.name, cidr: Ipv4Cidr.parse(s.cidr).toString(), bridge: `br-sn${i}` }));
  const mgmtBase = Ipv4Address.parse(MGMT.cidr.split('/')[0]);
  const nodes: BoxNode[] = [];
  const capped: { group: string; count: number; running: number }[] = [];
  // Per subnet: the next host address and the next /28 slot (upper half of the subnet, away from the hosts).
  const nextHost = new Map<string, number>();
  const nextSlot = new Map<string, number>();
  spec.nodeGroups.forEach((group) => {
    const cap = group.role === 'control-plane' ? 1 : workersPerGroup;
    const running = Math.min(group.count, cap);
    if (running < group.count) capped.push({ group: group.name, count: group.count, running });
    for (let k = 0; k < running; k++) {
      const n = nodes.length;
      const name = `${group.name}-${k + 1}`;
      const enis = group.interfaces.map((itf, d): BoxEni => {
        const subnet = subnets.find((s) => s.name === itf.subnet);
        if (subnet === undefined) throw new Error(`interface ${itf.name} of ${group.name}: no subnet ${itf.subnet}`);
        const cidr = Ipv4Cidr.parse(subnet.cidr);
        const host = nextHost.get(subnet.name) ?? 10;
        nextHost.set(subnet.name, host + 1);
        const prefixes: string[] = [];
        for (let p = 0; p < itf.ipv4PrefixCount; p++) {
          const slot = nextSlot.get(subnet.name) ?? 0;
          nextSlot.set(subnet.name, slot + 1);
          const start = cidr.network.plus(cidr.size / 2n + BigInt(16 * slot));
          if (cidr.prefix > 27 || !cidr.contains(start.plus(15))) throw new Error(`subnet ${subnet.name} (${subnet.cidr}) has no room for another /28 prefix in its upper half`);
          prefixes.push(`${start.toString()}/28`);
        }
        return {
          name: itf.name, kernelName: `ens${6 + d}`, mac: `02:6d:6e:${hex(n)}:${hex(d + 1)}:01`, deviceNumber: d + 1,
          subnetName: subnet.name, subnetCidr: subnet.cidr, ips: [cidr.network.plus(host).toString()], prefixes,
          bridge: subnet.bridge, port: `p${n}e${d + 1}`,
        };
      });
      const taints = [`${NETWORKS_NOT_READY_TAINT.key}=${NETWORKS_NOT_READY_TAINT.value}:${NETWORKS_NOT_READY_TAINT.effect}`];
      if (group.role === 'control-plane') taints.push('node-role.kubernetes.io/control-plane:NoSchedule');
      nodes.push({
        name, group: group.name, role: group.role, ip: mgmtBase.plus(MGMT.firstNode + n).toString(),
        mac: `02:6d:6e:${hex(n)}:00:01`, port: `p${n}e0`, labels: nodeLabels(intent, group), taints, enis,
      });
    }
  });
  const networks = spec.networks.map((net): BoxNetwork => {
    const master = 'master' in net ? net.master : undefined;
    const ok = kernel[net.type] ?? true;
    return {
      key: `${net.namespace}/${net.name}`, type: net.type, master,
      support: ok ? { ok: true } : { ok: false, why: `this kernel cannot create ${net.type} links ("ip link add ... type ${net.type}" fails); a kernel with the ${net.type} module (most distributions ship it) runs it` },
    };
  });
  return {
    platform: spec.platform, vpcRule: spec.platform === 'aws', kubernetesVersion: spec.cluster.kubernetesVersion,
    podCidr: spec.cluster.podCidr, serviceCidr: spec.cluster.serviceCidr, vpcCidr: spec.vpc.cidr, mtu: spec.vpc.mtu,
    nodes, subnets, capped, networks,
  };
}
