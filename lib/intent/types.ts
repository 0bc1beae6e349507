import type { z } from 'zod';
import type * as s from './schema';

/** A parsed intent, defaults applied. */
export type NetworkIntent = z.output<typeof s.networkIntentSchema>;
/** What a person writes: defaults optional. */
export type NetworkIntentInput = z.input<typeof s.networkIntentSchema>;
export type IntentSpec = NetworkIntent['spec'];
export type Cluster = IntentSpec['cluster'];
export type Vpc = IntentSpec['vpc'];
export type Subnet = IntentSpec['subnets'][number];
export type NodeGroup = IntentSpec['nodeGroups'][number];
export type NodeInterface = NodeGroup['interfaces'][number];
export type Network = IntentSpec['networks'][number];
export type NetworkType = Network['type'];
export type Ipam = Network['ipam'];
export type IpamType = Ipam['type'];
export type HostLocalIpam = Extract<Ipam, { type: 'host-local' }>;
export type StaticIpam = Extract<Ipam, { type: 'static' }>;
export type WhereaboutsIpam = Extract<Ipam, { type: 'whereabouts' }>;
export type DhcpIpam = Extract<Ipam, { type: 'dhcp' }>;
export type EniPrefixIpam = Extract<Ipam, { type: 'eni-prefix' }>;
export type Route = z.output<typeof s.routeSchema>;
export type Workload = IntentSpec['workloads'][number];
export type Service = IntentSpec['services'][number];
export type ConfigMapSpec = IntentSpec['configMaps'][number];
export type IngressRule = Network['ingress'][number];
export type PolicyPeer = IngressRule['from'][number];
export type PolicyPort = IngressRule['ports'][number];
