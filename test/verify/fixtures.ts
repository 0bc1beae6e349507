/**
 * Fixtures shared by the verify tests: an intent (baseIntent with two /28 prefixes and the source/destination check
 * off on multus0) and EC2 records of a fleet that matches it, which tests then break one fact at a time.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Instance, NetworkInterface, Subnet } from '@aws-sdk/client-ec2';
import { parseIntent } from '../../lib/intent/load';
import type { KubeNode, KubePod } from '../../lib/kube/types';
import type { NetworkIntent, NetworkIntentInput } from '../../lib/intent/types';
import { baseIntent, yamlOf } from '../util/intent';

/** baseIntent() (cluster `rules-test`: control-plane x1, workers x2 with multus0 in multus-a 10.0.128.0/24), two prefixes, check off. */
export function verifyIntentInput(mutate: (i: NetworkIntentInput) => void = () => undefined): NetworkIntentInput {
  const i = baseIntent();
  const workers = i.spec.nodeGroups[1];
  workers.interfaces = [{ name: 'multus0', subnet: 'multus-a', ipv4PrefixCount: 2, sourceDestCheck: false }];
  mutate(i);
  return i;
}

export function verifyIntent(mutate?: (i: NetworkIntentInput) => void): NetworkIntent {
  const r = parseIntent(yamlOf(verifyIntentInput(mutate)));
  if (!r.intent) throw new Error(r.findings.map((f) => f.message).join('; '));
  return r.intent;
}

/** Writes the intent to a temporary YAML file; returns its path. */
export function writeIntent(mutate?: (i: NetworkIntentInput) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-verify-'));
  const file = path.join(dir, 'intent.yaml');
  fs.writeFileSync(file, yamlOf(verifyIntentInput(mutate)));
  return file;
}

export const CLUSTER = 'rules-test';
export const MULTUS_SUBNET: Subnet = { SubnetId: 'subnet-multus', CidrBlock: '10.0.128.0/24' };
export const NODE_SUBNET: Subnet = { SubnetId: 'subnet-nodes', CidrBlock: '10.0.0.0/20' };
const NO_MANAGE = { Key: 'node.k8s.amazonaws.com/no_manage', Value: 'true' };

export function ec2Instance(id: string, group: string, ip: string): Instance {
  return {
    InstanceId: id, PrivateIpAddress: ip, State: { Name: 'running' },
    Tags: [{ Key: 'multinic.dev/cluster', Value: CLUSTER }, { Key: 'multinic.dev/node-group', Value: group }, { Key: 'Name', Value: `${CLUSTER}-${group}` }],
  };
}

export function ec2Eni(instanceId: string, deviceIndex: number, extra: Partial<NetworkInterface> = {}): NetworkInterface {
  const secondary = deviceIndex > 0;
  const n = Number(instanceId.replace(/\D/g, '')) || 0;
  return {
    NetworkInterfaceId: `eni-${instanceId.slice(2)}-${deviceIndex}`,
    SubnetId: secondary ? MULTUS_SUBNET.SubnetId : NODE_SUBNET.SubnetId,
    Attachment: { InstanceId: instanceId, DeviceIndex: deviceIndex, NetworkCardIndex: 0 },
    Ipv4Prefixes: secondary ? [{ Ipv4Prefix: `10.0.128.${32 * n}/28` }, { Ipv4Prefix: `10.0.128.${32 * n + 16}/28` }] : [],
    SourceDestCheck: !secondary,
    TagSet: [NO_MANAGE, { Key: 'multinic.dev/cluster', Value: CLUSTER }],
    ...extra,
  };
}

/** A fleet as the intent says: cp-1 (control-plane), wk-1 and wk-2 (workers with multus0 at device 1). */
export function matchingFleet(): { instances: Instance[]; enis: NetworkInterface[] } {
  const instances = [ec2Instance('i-0001', 'control-plane', '10.0.0.10'), ec2Instance('i-0002', 'workers', '10.0.0.11'), ec2Instance('i-0003', 'workers', '10.0.0.12')];
  const enis = [ec2Eni('i-0001', 0), ec2Eni('i-0002', 0), ec2Eni('i-0002', 1), ec2Eni('i-0003', 0), ec2Eni('i-0003', 1)];
  return { instances, enis };
}

// ---------------------------------------------------------------------------------------------------------------
// Kubernetes side: nodes and pods that match verifyIntent()
// ---------------------------------------------------------------------------------------------------------------

export function kubeNode(name: string, group: string, labels: Record<string, string> = {}): KubeNode {
  return { metadata: { name, labels: { 'kubernetes.io/hostname': name, 'multinic.dev/node-group': group, ...labels } } };
}

/** The network-status annotation Multus writes: the cluster network, then `secondary`. */
export function networkStatus(...secondary: Array<{ name: string; interface: string; ips: string[] }>): string {
  return JSON.stringify([
    { name: 'k8s-pod-network', ips: ['172.16.1.5'], default: true, dns: {} },
    ...secondary.map((s) => ({ ...s, mac: '0a:00:00:00:00:01', dns: {} })),
  ]);
}

export function kubePod(namespace: string, name: string, o: { labels?: Record<string, string>; owner?: string; node?: string; phase?: string; status?: string | null } = {}): KubePod {
  return {
    metadata: {
      name, namespace, labels: o.labels ?? {},
      ...(o.owner ? { ownerReferences: [{ kind: 'ReplicaSet', name: o.owner }] } : {}),
      annotations: o.status === null ? {} : { 'k8s.v1.cni.cncf.io/network-status': o.status ?? networkStatus() },
    },
    spec: { nodeName: o.node ?? 'worker-1' },
    status: { phase: o.phase ?? 'Running' },
  };
}

/** Nodes and pods as verifyIntent() says: cp-1, worker-1, worker-2 with multus0; the sample Pod and two Deployment pods. */
export function matchingCluster(): { nodes: KubeNode[]; pods: KubePod[] } {
  const itf = { 'multinic.dev/interface-multus0': 'true' };
  return {
    nodes: [kubeNode('cp-1', 'control-plane'), kubeNode('worker-1', 'workers', itf), kubeNode('worker-2', 'workers', itf)],
    pods: [
      kubePod('default', 'multus-sample-pod', { status: networkStatus({ name: 'default/ipvlan-conf', interface: 'net1', ips: ['192.168.1.200'] }) }),
      kubePod('dcjeon', 'ubuntu-whereabouts-deploy-7c9d8-abcde', { labels: { app: 'ubuntu' }, owner: 'ubuntu-whereabouts-deploy-7c9d8', node: 'worker-1',
        status: networkStatus({ name: 'dcjeon/whereabouts-eth1-conf', interface: 'net1', ips: ['10.4.128.4'] }) }),
      kubePod('dcjeon', 'ubuntu-whereabouts-deploy-7c9d8-fghij', { labels: { app: 'ubuntu' }, owner: 'ubuntu-whereabouts-deploy-7c9d8', node: 'worker-2',
        status: networkStatus({ name: 'dcjeon/whereabouts-eth1-conf', interface: 'net1', ips: ['10.4.128.5'] }) }),
    ],
  };
}
