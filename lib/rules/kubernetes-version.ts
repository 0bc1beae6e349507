import { kubernetesMinorOf, supportedKubernetesMinors, VERSIONS } from '../versions';
import { finding, type Finding, type Rule } from './types';

export const kubernetesVersionRule: Rule = {
  id: 'multinic:KubernetesVersion',
  level: 'error',
  // EKS runs its own control plane versions: multinic:EksKubernetesVersion.
  flavours: ['kubeadm'],
  summary: 'spec.cluster.kubernetesVersion is not a minor that every pinned component supports (the support windows of lib/versions.ts).',
  why: 'The bootstrap installs pinned kubeadm, containerd and Calico releases; outside their common support window the control plane does not come up, or runs unsupported.',
  fix: `Use ${VERSIONS.kubernetes.version.slice(1)}, or bump the pins as docs/deploy.md ("How to bump") says.`,
  check(intent) {
    const v = intent.spec.cluster.kubernetesVersion;
    const supported = supportedKubernetesMinors();
    if (supported.includes(kubernetesMinorOf(v))) return [];
    const findings: Finding[] = [finding(this, ['spec', 'cluster', 'kubernetesVersion'], `${v} is not a Kubernetes minor that every pinned component supports (${supported.join(', ')})`)];
    return findings;
  },
};
