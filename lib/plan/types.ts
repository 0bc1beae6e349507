/**
 * The plan: what a network intent turns into, as plain data (strings and numbers only), so it can be rendered as a
 * review document, serialised as JSON and compared between two versions of the intent (`lib/diff`).
 * Every list is in a stable order (intent order for things people order, sorted otherwise).
 */

/** One ENI of every node of a group. */
export interface PlanEni {
  /** Device index on network card 0: 0 is the primary (cluster network), 1.. the secondary ENIs in intent order. */
  readonly deviceIndex: number;
  /** Stable in-guest interface name (the systemd .link name); `primary` for device index 0. */
  readonly name: string;
  /** Node label marking nodes that carry this interface (none for the primary). */
  readonly nodeLabel?: string;
  /** Subnet name: a `spec.subnets` name, or `node-<zone>` for the primary ENI. */
  readonly subnet: string;
  /** CIDR of that subnet, when known. */
  readonly subnetCidr?: string;
  /** IPv4 /28 prefixes delegated to the ENI. */
  readonly ipv4PrefixCount: number;
  /** Subnet addresses one node's ENI takes: its primary IPv4 plus 16 per /28 prefix. */
  readonly addressesPerNode: number;
  readonly sourceDestCheck: boolean;
}

/** What the Amazon VPC CNI can use on a node of an eks worker group (flavour eks only). */
export interface PlanVpcCni {
  /** ENIs on the default card left for the VPC CNI: the primary plus what the intent's secondary ENIs leave free. */
  readonly enis: number;
  /** Pod addresses per node on the cluster network. */
  readonly podAddresses: number;
  /** The kubelet's maxPods multinic sets (pod addresses plus host-network DaemonSets). */
  readonly maxPods: number;
}

export interface PlanNodeGroup {
  readonly name: string;
  readonly role: 'control-plane' | 'worker';
  readonly instanceType: string;
  /** Number of nodes. */
  readonly count: number;
  /** Zones the group runs in: the zone of its secondary subnets, or every VPC zone when it has none. */
  readonly zones: readonly string[];
  /** Primary ENI first, then the secondary ENIs by device index. */
  readonly enis: readonly PlanEni[];
  /** Keys (`namespace/name`) of the networks whose master this group carries, sorted. */
  readonly networks: readonly string[];
  /** Flavour eks, a worker group of a known instance type: what the VPC CNI can use. */
  readonly vpcCni?: PlanVpcCni;
}

export interface PlanSubnet {
  readonly name: string;
  /** `node`: primary ENIs (derived from the VPC); `secondary`: a `spec.subnets` entry. */
  readonly kind: 'node' | 'secondary';
  readonly zone: string;
  readonly cidr: string;
  /** Pod CIDR reservation (kept from ENI auto-assignment). */
  readonly reservation?: string;
  /** Addresses ENIs can get: the block minus the 5 AWS reserves minus the reservation. */
  readonly usable: number;
  /** Addresses the planned ENIs take (every node of every group with an ENI here, and the rolling-update surge). */
  readonly used: number;
  /** `group/interface` of each ENI placed here. */
  readonly enis: readonly string[];
}

export interface PlanPool {
  /** The pool's subnet (host-local `subnet`, whereabouts `range`, a static address' network). */
  readonly subnet: string;
  /** First and last address handed out, `a-b`. */
  readonly range: string;
  readonly gateway?: string;
  readonly excludes: readonly string[];
  /** Addresses the pool can hand out: the range minus excludes minus the gateway. */
  readonly capacity: number;
}

/**
 * Where a network's addresses are allocated: `node` (host-local: each node has its own copy of the pool), `cluster`
 * (whereabouts: one pool shared by all nodes), `static` (the same addresses for every pod), `dhcp` (an outside server).
 */
export type IpamScope = 'node' | 'cluster' | 'static' | 'dhcp';

export interface PlanNetwork {
  /** `namespace/name`. */
  readonly key: string;
  readonly name: string;
  readonly namespace: string;
  /** CNI plugin (`macvlan`, `ipvlan`, `bridge`, `host-device`). */
  readonly plugin: string;
  /** Plugin mode (macvlan/ipvlan), bridge name (bridge). */
  readonly mode?: string;
  /** Node interface the plugin attaches to; none for bridge. */
  readonly master?: string;
  readonly ipam: {
    readonly type: string;
    readonly scope: IpamScope;
    readonly pools: readonly PlanPool[];
    /** Pods the IPAM can address at once (per node for `node` scope); none for dhcp. */
    readonly capacity?: number;
  };
  /** Node groups that carry the master (for bridge: every worker group). */
  readonly nodeGroups: readonly string[];
  /** Keys of the workloads attached, in intent order. */
  readonly workloads: readonly string[];
  /** Pods attached (replicas summed). */
  readonly pods: number;
  /** The network's namespace and those of the workloads attached, sorted. */
  readonly namespaces: readonly string[];
  /** What the network admits inbound, one line per `ingress` rule (empty: closed). */
  readonly ingress: readonly string[];
  /** Ingress rules of the network's security group (0 when no ENI carries it, or it admits nothing). */
  readonly securityGroupRules: number;
}

export interface PlanAttachment {
  /** As written in the intent. */
  readonly text: string;
  /** Key of the network it resolves to; none when it does not resolve. */
  readonly network?: string;
  /** Interface name in the pod. */
  readonly ifname: string;
}

export interface PlanWorkload {
  /** `namespace/name`. */
  readonly key: string;
  readonly kind: 'Pod' | 'Deployment';
  readonly name: string;
  readonly namespace: string;
  readonly pods: number;
  readonly attachments: readonly PlanAttachment[];
  /** Node interfaces the pod needs (its networks' masters), sorted. */
  readonly masters: readonly string[];
  /** Worker groups carrying every master: where its pods can be scheduled. */
  readonly nodeGroups: readonly string[];
}

export interface PlanWarning {
  readonly id: string;
  /** Where it came from: a validation rule, or the plan's own capacity checks. */
  readonly source: 'validation' | 'plan';
  readonly message: string;
  readonly line?: number;
}

/** How the in-cluster side of the ingress rules is enforced (the multi-networkpolicy-iptables DaemonSet). */
export interface PlanPolicyDaemon {
  /** Image the DaemonSet runs (spec.policy.daemonImage, else the local cluster's reference). */
  readonly image: string;
  /** Plugin types it polices (`--network-plugins`). */
  readonly networkPlugins: readonly string[];
}

export interface Plan {
  readonly name: string;
  readonly cluster: {
    /** `kubeadm` or `eks`. */
    readonly flavour: string;
    /** Who runs the control plane, in words. */
    readonly controlPlane: string;
    readonly kubernetesVersion: string;
    readonly podCidr: string;
    readonly serviceCidr: string;
    readonly primaryCni: string;
    /** The cluster network Multus delegates eth0 to. */
    readonly network: {
      /** CNI network name Multus finds the cluster network by (`k8s-pod-network`, `aws-cni`). */
      readonly name: string;
      /** File in /etc/cni/net.d Multus delegates to (`10-calico.conflist`, `10-aws.conflist`). */
      readonly conflist: string;
      /** Where pods' eth0 addresses come from. */
      readonly podAddresses: string;
      /** What the primary ENI carries. */
      readonly primaryEni: string;
    };
  };
  readonly vpc: { readonly cidr: string; readonly zones: readonly string[]; readonly mtu: number };
  readonly subnets: readonly PlanSubnet[];
  readonly nodeGroups: readonly PlanNodeGroup[];
  readonly networks: readonly PlanNetwork[];
  /** The MultiNetworkPolicy daemon; undefined when the intent has no network (none is deployed). */
  readonly policyDaemon?: PlanPolicyDaemon;
  readonly workloads: readonly PlanWorkload[];
  /** Every namespace the intent uses, sorted. */
  readonly namespaces: readonly string[];
  readonly warnings: readonly PlanWarning[];
  readonly totals: { readonly nodes: number; readonly enis: number; readonly networks: number; readonly pods: number };
}
