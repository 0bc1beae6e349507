/**
 * Generates a large valid intent: `nodes` worker nodes (in groups of 10) and `networks` ipvlan/whereabouts networks,
 * each used by one Deployment. Used by the benchmarks only.
 */
import { stringify } from 'yaml';
import type { NetworkIntentInput } from '../lib/intent/types';

export function generateIntent(networks: number, nodes: number): NetworkIntentInput {
  const groups = Math.max(1, Math.ceil(nodes / 10));
  const nets = Array.from({ length: networks }, (_, i) => ({
    name: `net-${i}`, namespace: `ns-${i % 20}`, type: 'ipvlan' as const, master: 'multus0', mode: 'l2' as const,
    // Disjoint /24 pools inside 100.64.0.0/10 (up to 16,384 networks).
    ipam: { type: 'whereabouts' as const, range: `100.${64 + (i >> 8)}.${i & 255}.0/24` },
  }));
  return {
    apiVersion: 'multinic.dev/v1alpha1', kind: 'NetworkIntent', metadata: { name: `bench-${networks}-${nodes}` },
    spec: {
      cluster: { kubernetesVersion: '1.36.5', podCidr: '172.16.0.0/16', serviceCidr: '10.96.0.0/12', primaryCni: 'calico' },
      vpc: { cidr: '10.0.0.0/16', zones: ['a'] },
      subnets: [{ name: 'multus-a', cidr: '10.0.128.0/17', zone: 'a' }],
      nodeGroups: [
        { name: 'control-plane', role: 'control-plane', instanceType: 'm6i.large', count: 1 },
        ...Array.from({ length: groups }, (_, g) => ({
          name: `workers-${g}`, role: 'worker' as const, instanceType: 'm6i.large', count: Math.min(10, nodes - g * 10) || 1,
          interfaces: [{ name: 'multus0', subnet: 'multus-a' }],
        })),
      ],
      networks: nets,
      workloads: nets.map((n, i) => ({
        kind: 'Deployment' as const, name: `app-${i}`, namespace: n.namespace, replicas: 2, labels: { app: `app-${i}` },
        networks: [n.name], container: { image: 'docker.io/nicolaka/netshoot:v0.13', command: ['sleep', 'infinity'] },
      })),
    },
  };
}

export function generateIntentYaml(networks: number, nodes: number): string {
  return stringify(generateIntent(networks, nodes));
}
