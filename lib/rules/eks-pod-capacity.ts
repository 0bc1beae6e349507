import { groupCapacity, EKS_COREDNS_REPLICAS } from '../eks/node-capacity';
import { finding, type Rule } from './types';

export const eksPodCapacityRule: Rule = {
  id: 'multinic:EksPodCapacity',
  level: 'warning',
  summary: 'With flavour eks, the worker nodes cannot give every planned pod a VPC CNI address, because the Multus ENIs take ENI slots the VPC CNI would use.',
  why: 'Every pod gets its eth0 from the VPC CNI, which may use only the ENIs the intent leaves free; the pods beyond that stay Pending (multinic sets the kubelet\'s max-pods to match, docs/eks.md).',
  fix: 'Add worker nodes, pick an instance type with more ENIs or addresses per ENI (`multinic instance-types --min-enis N`), or give a group fewer secondary interfaces.',
  flavours: ['eks'],
  check(intent, model) {
    const workers = intent.spec.nodeGroups.filter((g) => g.role === 'worker');
    const caps = workers.map((g) => ({ g, cap: groupCapacity(intent, g) }));
    if (caps.some((c) => c.cap === undefined)) return []; // unknown types and ENI overflow are reported by their own rules
    const capacity = caps.reduce((sum, { g, cap }) => sum + g.count * (cap?.podAddresses ?? 0), 0);
    const pods = model.workloads.reduce((sum, w) => sum + w.podCount, 0) + EKS_COREDNS_REPLICAS;
    if (pods <= capacity) return [];
    const per = caps.map(({ g, cap }) => `${g.name}: ${g.count} x ${cap?.podAddresses} on ${cap?.enis} ENI${cap?.enis === 1 ? '' : 's'}`).join('; ');
    return [finding(this, ['spec', 'nodeGroups'], `${pods} pods (the workloads and ${EKS_COREDNS_REPLICAS} CoreDNS) need VPC CNI addresses, but the workers have ${capacity} (${per})`)];
  },
};
