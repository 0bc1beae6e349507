/**
 * The network intent: the one reviewed file every AWS and Kubernetes object is derived from.
 *
 * These zod schemas are the single source of truth: the TypeScript types (`types.ts`) are inferred from them and
 * `schema/network-intent.schema.json` is generated from them (`npm run gen:schema`), so editors, the CLI and the
 * code cannot disagree. Field names inside `networks[].ipam` and plugin fields are the CNI plugins' own.
 */
import { z } from 'zod';
import { CNI_VERSIONS } from '../cni/envelope';

/** DNS-1123 label: what Kubernetes accepts for namespaces and most object names. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const name = z.string().min(1).describe('A DNS-1123 label: lower case letters, digits and "-", at most 63 characters.');
const cidr = z.string().describe('An IPv4 CIDR, e.g. 10.0.0.0/16 (host bits must be zero).');
const ip = z.string().describe('An IPv4 address, e.g. 10.0.0.1.');

// ---------------------------------------------------------------------------------------------------------------
// Cluster, VPC, subnets, node groups
// ---------------------------------------------------------------------------------------------------------------

/** Who runs the control plane: a self-managed kubeadm node (`kubeadm`), or Amazon EKS (`eks`, docs/eks.md). */
export const CLUSTER_FLAVOURS = ['kubeadm', 'eks'] as const;

/** The primary (cluster network) CNI each flavour needs: Calico on kubeadm, the Amazon VPC CNI on EKS. */
export const PRIMARY_CNI_OF_FLAVOUR = { kubeadm: 'calico', eks: 'aws-vpc-cni' } as const;

export const clusterSchema = z.strictObject({
  flavour: z.enum(CLUSTER_FLAVOURS).default('kubeadm')
    .describe('Who runs the control plane: kubeadm (a self-managed control-plane instance, Calico) or eks (Amazon EKS, managed node groups, the Amazon VPC CNI); docs/eks.md compares them. @default kubeadm'),
  kubernetesVersion: z.string().regex(/^1\.\d+\.\d+$/).describe('Kubernetes version, pinned to a patch release (kubeadm, kubelet, kubectl), e.g. 1.36.5. With flavour eks only the minor counts (EKS picks the patch).'),
  podCidr: cidr.describe('Pod network of the primary CNI (kubeadm --pod-network-cidr). Unused with flavour eks: the VPC CNI gives pods VPC addresses.'),
  serviceCidr: cidr.describe('Service network (kubeadm --service-cidr; EKS serviceIpv4Cidr).'),
  primaryCni: z.enum(['calico', 'aws-vpc-cni']).describe('The primary (cluster) CNI that Multus delegates eth0 to: calico with flavour kubeadm, aws-vpc-cni with flavour eks.'),
  adminCidr: cidr.optional().describe('Extra CIDR allowed to reach the Kubernetes API (port 6443). @default - the VPC only'),
});

export const vpcSchema = z.strictObject({
  cidr: cidr.describe('VPC CIDR. Node (primary ENI) subnets are carved from its first half.'),
  zones: z.array(z.string().regex(/^[a-z]$/)).min(1).max(6)
    .describe('Availability zones by letter suffix (a, b, ...), resolved against the deployment region.'),
  mtu: z.number().int().min(576).max(9001).default(9001).describe('MTU of the VPC. @default 9001'),
});

export const subnetSchema = z.strictObject({
  name: name.describe('Name that node group interfaces refer to.'),
  cidr: cidr.describe('Subnet CIDR; must lie inside the VPC CIDR and overlap no other subnet.'),
  zone: z.string().regex(/^[a-z]$/).describe('Availability zone letter; must be one of vpc.zones.'),
  podCidrReservation: cidr.optional()
    .describe('Part of the subnet kept for pod addresses (an explicit SubnetCidrReservation), so node ENIs never take it. @default - none'),
});

export const interfaceSchema = z.strictObject({
  name: z.string().min(1).describe('Stable in-guest interface name (at most 15 characters), set by a systemd .link file matched by MAC, e.g. multus0.'),
  subnet: z.string().min(1).describe('Name of a spec.subnets entry the ENI is created in.'),
  ipv4PrefixCount: z.number().int().min(0).max(16).default(0)
    .describe('IPv4 /28 prefixes delegated to the ENI for AWS-routable pod addresses. @default 0'),
  sourceDestCheck: z.boolean().default(true)
    .describe('Keep the EC2 source/destination check. Turn off only when the node routes addresses that are not assigned to this ENI. @default true'),
});

export const nodeGroupSchema = z.strictObject({
  name,
  role: z.enum(['control-plane', 'worker']),
  instanceType: z.string().regex(/^[a-z0-9-]+\.[a-z0-9-]+$/).describe('EC2 instance type, e.g. m6i.large.'),
  count: z.number().int().min(1).max(1000).describe('Number of nodes (Auto Scaling group capacity).'),
  interfaces: z.array(interfaceSchema).max(14).default([])
    .describe('Secondary ENIs, in device-index order (the first is device index 1).'),
  labels: z.record(z.string(), z.string()).default({}).describe('Extra Kubernetes node labels. @default {}'),
});

// ---------------------------------------------------------------------------------------------------------------
// IPAM (CNI field names)
// ---------------------------------------------------------------------------------------------------------------

export const routeSchema = z.strictObject({ dst: cidr, gw: ip.optional().describe('Gateway. @default - the IPAM gateway; every emitted route carries an explicit gw') });
const dnsSchema = z.strictObject({
  nameservers: z.array(ip).optional(),
  domain: z.string().optional(),
  search: z.array(z.string()).optional(),
  options: z.array(z.string()).optional(),
});

export const hostLocalRangeSchema = z.strictObject({
  subnet: cidr,
  rangeStart: ip.optional(),
  rangeEnd: ip.optional(),
  gateway: ip.optional(),
});

export const hostLocalIpamSchema = z.strictObject({
  type: z.literal('host-local'),
  ranges: z.array(z.array(hostLocalRangeSchema).min(1)).min(1).describe('Range sets; each inner list is one address family pool.'),
  routes: z.array(routeSchema).optional(),
  dataDir: z.string().optional(),
});

export const staticIpamSchema = z.strictObject({
  type: z.literal('static'),
  addresses: z.array(z.strictObject({ address: cidr.describe('Address with prefix length, e.g. 10.1.0.5/24.'), gateway: ip.optional() })).default([]),
  routes: z.array(routeSchema).optional(),
  dns: dnsSchema.optional(),
});

export const whereaboutsIpamSchema = z.strictObject({
  type: z.literal('whereabouts'),
  range: cidr.describe('Pool CIDR.'),
  range_start: ip.optional(),
  range_end: ip.optional(),
  exclude: z.array(cidr).optional(),
  gateway: ip.optional(),
  routes: z.array(routeSchema).optional(),
  network_name: z.string().optional().describe('Isolates this pool from others with the same range.'),
});

export const dhcpIpamSchema = z.strictObject({
  type: z.literal('dhcp'),
  daemonSocketPath: z.string().optional(),
});

/** How many of an interface's delegated /28 prefixes an eni-prefix network takes per node when `prefixes` is absent. */
export const ENI_PREFIX_DEFAULT_PREFIXES = 1;

export const eniPrefixIpamSchema = z.strictObject({
  type: z.literal('eni-prefix'),
  prefixes: z.number().int().min(1).max(16).default(ENI_PREFIX_DEFAULT_PREFIXES)
    .describe('How many of the master interface\'s delegated /28 prefixes this network takes on each node (16 addresses each). @default 1'),
  routes: z.array(routeSchema).optional()
    .describe('Routes for the pod interface. @default - the other secondary subnets of the intent via the subnet router (never the VPC CIDR: the node subnets stay on eth0)'),
}).describe('multinic-specific, AWS-routable: each node allocates (host-local) from the /28 prefixes delegated to its own ENI '
  + '(the interface\'s ipv4PrefixCount), so the VPC delivers pod traffic between nodes. Valid on ipvlan or host-device '
  + 'networks over a node group interface. The NetworkAttachmentDefinition has no spec.config: Multus reads the per-node '
  + 'file that the node\'s ENI script writes to /etc/cni/multus/net.d/ (docs/aws-routing.md).');

export const ipamSchema = z.discriminatedUnion('type', [hostLocalIpamSchema, staticIpamSchema, whereaboutsIpamSchema, dhcpIpamSchema, eniPrefixIpamSchema]);

// ---------------------------------------------------------------------------------------------------------------
// Network policy: who may reach the pods of a network, on which ports (inbound is denied unless allowed)
// ---------------------------------------------------------------------------------------------------------------

const labels = z.record(z.string(), z.string());

export const policyPeerSchema = z.strictObject({
  pods: labels.optional()
    .describe('Pods of workloads with these labels ({} = every workload of the namespace) that are attached to this network. Exactly one of pods and cidr.'),
  namespace: name.optional().describe('Namespace of the peer pods (only with pods). @default - the namespace of the network'),
  cidr: cidr.optional().describe('Addresses outside the cluster (an IPv4 CIDR), e.g. a storage appliance on the subnet. Exactly one of pods and cidr.'),
  except: z.array(cidr).optional().describe('Parts of cidr that are not allowed (only with cidr). @default - none'),
}).refine((p) => (p.pods !== undefined) !== (p.cidr !== undefined), 'a peer needs exactly one of pods (workload labels) and cidr')
  .refine((p) => p.cidr !== undefined || (p.except === undefined), 'except goes only with cidr')
  .refine((p) => p.pods !== undefined || p.namespace === undefined, 'namespace goes only with pods')
  .describe('Who may connect: pods by workload labels and namespace, or a CIDR outside the cluster.');

export const policyPortSchema = z.strictObject({
  port: z.number().int().min(1).max(65535).optional().describe('Destination port. @default - every port of the protocol'),
  endPort: z.number().int().min(1).max(65535).optional().describe('Last port of a range starting at port. @default - port alone'),
  protocol: z.enum(['TCP', 'UDP']).default('TCP').describe('TCP or UDP (security groups cannot filter SCTP ports). @default TCP'),
});

export const ingressRuleSchema = z.strictObject({
  pods: labels.optional()
    .describe('The rule admits traffic to the pods of workloads with these labels only. @default - every pod attached to the network'),
  from: z.array(policyPeerSchema).min(1).describe('Who may connect (at least one peer; cidr 0.0.0.0/0 means anyone).'),
  ports: z.array(policyPortSchema).default([]).describe('Ports the peers may connect to. @default [] (none: only icmp, if set)'),
  icmp: z.boolean().default(false).describe('Also admit ICMP (ping) from the peers. @default false'),
}).describe('One allow rule of a network: traffic from these peers to these ports of the network\'s pods.');

/**
 * A container image reference pinned by digest, with its registry host: `REGISTRY/REPOSITORY[:TAG]@sha256:<64 hex>`
 * (a tag alone can be moved in most registries; the digest cannot).
 */
export const DIGEST_PINNED_IMAGE = /^(?:localhost|[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)+)(?::[0-9]+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)+(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?@sha256:[0-9a-f]{64}$/;

export const policySchema = z.strictObject({
  daemonImage: z.string().regex(DIGEST_PINNED_IMAGE, 'an image pinned by digest: REGISTRY/REPOSITORY[:TAG]@sha256:<64 hex digits>, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/multi-networkpolicy-iptables:cbf2b11@sha256:...').optional()
    .describe('Image of the multi-networkpolicy-iptables daemon that enforces the ingress rules in the cluster, as you built and published it (docs/network-policy.md), pinned by digest. @default - multinic.local/multi-networkpolicy-iptables:cbf2b11, which only the local cluster serves (multinic:PolicyDaemonImage warns on AWS)'),
}).describe('How the in-cluster side of the ingress rules is enforced.');

// ---------------------------------------------------------------------------------------------------------------
// Networks (one NetworkAttachmentDefinition each)
// ---------------------------------------------------------------------------------------------------------------

/** The CNI spec versions the builders emit (owned by lib/cni). */
export const SUPPORTED_CNI_VERSIONS = CNI_VERSIONS;

const networkCommon = {
  name: name.describe('NetworkAttachmentDefinition name.'),
  namespace: name.default('default').describe('Namespace of the NetworkAttachmentDefinition. @default default'),
  cniVersion: z.string().default('1.0.0').describe('CNI spec version of the emitted config. @default 1.0.0'),
  ipam: ipamSchema,
  sbr: z.boolean().default(false).describe('Chain the sbr plugin so replies leave through this interface. @default false'),
  sysctl: z.record(z.string(), z.string()).optional().describe('Chain the tuning plugin with these net sysctls. @default - no tuning'),
  ingress: z.array(ingressRuleSchema).default([])
    .describe('Who may reach the pods of this network over it, and on which ports; everything else inbound on this network is denied (MultiNetworkPolicy in the cluster, security groups on its ENIs). @default [] (nothing)'),
};

export const macvlanNetworkSchema = z.strictObject({
  ...networkCommon,
  type: z.literal('macvlan'),
  master: z.string().min(1).describe('Secondary interface name (a node group interface name).'),
  mode: z.enum(['bridge', 'private', 'vepa', 'passthru']).default('bridge'),
  mtu: z.number().int().min(0).optional(),
});

export const ipvlanNetworkSchema = z.strictObject({
  ...networkCommon,
  type: z.literal('ipvlan'),
  master: z.string().min(1),
  mode: z.enum(['l2', 'l3', 'l3s']).default('l2'),
  mtu: z.number().int().min(0).optional(),
});

export const bridgeNetworkSchema = z.strictObject({
  ...networkCommon,
  type: z.literal('bridge'),
  bridge: z.string().min(1).default('cni0'),
  isGateway: z.boolean().optional(),
  ipMasq: z.boolean().optional(),
  hairpinMode: z.boolean().optional(),
  mtu: z.number().int().min(0).optional(),
  vlan: z.number().int().min(0).max(4094).optional(),
});

export const hostDeviceNetworkSchema = z.strictObject({
  ...networkCommon,
  type: z.literal('host-device'),
  device: z.string().min(1).describe('Interface moved into the pod (a node group interface name).'),
});

export const networkSchema = z.discriminatedUnion('type', [macvlanNetworkSchema, ipvlanNetworkSchema, bridgeNetworkSchema, hostDeviceNetworkSchema]);

// ---------------------------------------------------------------------------------------------------------------
// Workloads
// ---------------------------------------------------------------------------------------------------------------

export const containerSchema = z.strictObject({
  image: z.string().min(1).describe('Container image, pinned to a tag or digest.'),
  command: z.array(z.string()).optional(),
  ports: z.array(z.number().int().min(1).max(65535)).default([]),
  privileged: z.boolean().default(false).describe('Run privileged. Every use is reported as a warning. @default false'),
  mounts: z.array(z.strictObject({ configMap: name, path: z.string().regex(/^\//, 'an absolute path') })).default([]),
});

const workloadCommon = {
  name,
  namespace: name.default('default'),
  labels: z.record(z.string(), z.string()).default({}),
  networks: z.array(z.string()).default([])
    .describe('Attachments in Multus syntax: [namespace/]name[@ifname]. Unqualified names resolve to the workload namespace.'),
  container: containerSchema,
};

export const podSchema = z.strictObject({ ...workloadCommon, kind: z.literal('Pod') });
export const deploymentSchema = z.strictObject({ ...workloadCommon, kind: z.literal('Deployment'), replicas: z.number().int().min(0).default(1) });
export const workloadSchema = z.discriminatedUnion('kind', [podSchema, deploymentSchema]);

export const serviceSchema = z.strictObject({
  name,
  namespace: name.default('default'),
  selector: z.record(z.string(), z.string()).refine((s) => Object.keys(s).length > 0, 'a selector needs at least one label'),
  ports: z.array(z.strictObject({ port: z.number().int().min(1).max(65535), targetPort: z.number().int().min(1).max(65535).optional(), protocol: z.enum(['TCP', 'UDP', 'SCTP']).default('TCP') })).min(1),
  network: z.string().optional().describe('Secondary network the Service is meant for ([namespace/]name), rendered as k8s.v1.cni.cncf.io/service-network.'),
});

export const configMapSchema = z.strictObject({
  name,
  namespace: name.default('default'),
  data: z.record(z.string(), z.string()),
});

// ---------------------------------------------------------------------------------------------------------------
// Envelope
// ---------------------------------------------------------------------------------------------------------------

export const API_VERSION = 'multinic.dev/v1alpha1';

/**
 * Where the intent runs, as far as the network that carries secondary interfaces is concerned. `aws`: a VPC, which
 * drops frames from MAC addresses it did not assign (macvlan across nodes fails; multinic:MacvlanOnEni is an
 * error). `generic`: a network that accepts any MAC (on-premises switches, the local cluster with its VPC rule off).
 */
export const PLATFORMS = ['aws', 'generic'] as const;

export const specSchema = z.strictObject({
  platform: z.enum(PLATFORMS).default('aws')
    .describe('Where the secondary networks run: aws (the VPC drops unknown MAC addresses, so macvlan is an error) or generic (any MAC is accepted). @default aws'),
  cluster: clusterSchema,
  vpc: vpcSchema,
  subnets: z.array(subnetSchema).default([]),
  nodeGroups: z.array(nodeGroupSchema).min(1),
  networks: z.array(networkSchema).default([]),
  policy: policySchema.optional().describe('Settings of the MultiNetworkPolicy daemon (networks[].ingress). @default - the local cluster\'s image'),
  workloads: z.array(workloadSchema).default([]),
  services: z.array(serviceSchema).default([]),
  configMaps: z.array(configMapSchema).default([]),
});

export const networkIntentSchema = z.strictObject({
  apiVersion: z.literal(API_VERSION),
  kind: z.literal('NetworkIntent'),
  metadata: z.strictObject({ name }),
  spec: specSchema,
}).describe('multinic network intent: nodes, their secondary ENIs and subnets, and the networks pods attach to.');
