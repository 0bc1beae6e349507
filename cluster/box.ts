/**
 * Names, paths and addresses of the local cluster ("the box"). Everything the box makes is found again from these
 * markers, never from a remembered list, so `down` works after a crash or from another shell (kind's "discover,
 * don't remember"):
 * - network namespaces named `mnb-<cluster>-...`,
 * - processes whose environment holds `MULTINIC_BOX=<cluster>`,
 * - cgroups under `<hierarchy>/multinic-box/<cluster>/`,
 * - mounts and files under `<BOX_ROOT>/<cluster>/`.
 */
import * as path from 'node:path';

/** Root of every box's files (certificates, configs, logs, etcd data). Not under /run, /var/lib, /opt or /etc/cni, which nodes cover with tmpfs. */
export const BOX_ROOT = process.env.MULTINIC_BOX_ROOT ?? '/var/tmp/multinic-box';
/** The environment variable every process of a box carries; its value is the cluster name. */
export const MARKER_ENV = 'MULTINIC_BOX';
/** Top cgroup (in every v1 hierarchy) of every box. */
export const CGROUP_TOP = 'multinic-box';
/** File in BOX_ROOT saying that a box made the /run/netns bind mount (so the down that leaves no namespace removes it). */
export const RUN_NETNS_MARKER = '.run-netns-mounted-by-box';
/** Default cluster name. */
export const DEFAULT_CLUSTER = 'multinic';
/** Workers per node group at most (said in `up`'s output). */
export const WORKERS_PER_GROUP = 2;

/** The management network: nodes' primary interfaces, the control plane and the registry. CGNAT space, so it does not clash with intents. */
export const MGMT = {
  cidr: '100.64.0.0/24',
  prefix: 24,
  gateway: '100.64.0.1',
  controlPlane: '100.64.0.2',
  firstNode: 10,
} as const;

export const API_PORT = 6443;
export const REGISTRY_PORT = 5000;
/** The per-node mock IMDSv2, on the node's loopback (MULTINIC_IMDS_ENDPOINT of the ENI script). */
export const IMDS_PORT = 1338;

const NAME = /^[a-z0-9]([-a-z0-9]{0,14}[a-z0-9])?$/;

/** Checks a cluster name (it becomes part of namespace, cgroup and file names). */
export function checkClusterName(name: string): string | undefined {
  return NAME.test(name) ? undefined : `cluster name "${name}" must be 1 to 16 of a-z 0-9 - (starting and ending with a letter or digit)`;
}

/** Paths and names of one box. */
export class BoxNames {
  constructor(public readonly cluster: string, public readonly root: string = BOX_ROOT) {}

  public get dir(): string { return path.join(this.root, this.cluster); }
  public get nsPrefix(): string { return `mnb-${this.cluster}-`; }
  /** The "VPC": bridges of the management network and of every subnet. */
  public get vpcNs(): string { return `${this.nsPrefix}vpc`; }
  /** etcd, the API server, controller-manager, scheduler, the registry. */
  public get cpNs(): string { return `${this.nsPrefix}cp`; }
  public nodeNs(node: string): string { return `${this.nsPrefix}n-${node}`; }
  public nodeDir(node: string): string { return path.join(this.dir, 'nodes', node); }
  public get pkiDir(): string { return path.join(this.dir, 'pki'); }
  public get cpDir(): string { return path.join(this.dir, 'control-plane'); }
  public get logDir(): string { return path.join(this.dir, 'logs'); }
  /** The kubeconfig for the user's shell (through the loopback forwarder). */
  public get kubeconfig(): string { return path.join(this.dir, 'kubeconfig'); }
  /** The kubeconfig that reaches the API server directly, from inside the box's namespaces. */
  public get innerKubeconfig(): string { return path.join(this.cpDir, 'admin.kubeconfig'); }
  public get stateFile(): string { return path.join(this.dir, 'state.json'); }
  /** cgroup path (relative to a hierarchy's root) of the whole box, and of one node. */
  public get cgroup(): string { return `${CGROUP_TOP}/${this.cluster}`; }
  public nodeCgroup(node: string): string { return `${this.cgroup}/${node}`; }
}
