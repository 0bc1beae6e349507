import { EKS, minorOf } from '../eks/versions';
import { finding, type Rule } from './types';

const list = (): string => EKS.supportedMinors.map((m) => `1.${m}`).join(', ');

export const eksKubernetesVersionRule: Rule = {
  id: 'multinic:EksKubernetesVersion',
  level: 'error',
  summary: 'With flavour eks, the Kubernetes minor is not one multinic deploys on EKS.',
  why: 'EKS only creates clusters of the minors it supports, and multinic applies its manifests with a kubectl of a pinned minor (one minor of skew allowed); docs/eks.md, "Versions".',
  fix: `Set spec.cluster.kubernetesVersion to a ${list()} release, e.g. 1.${EKS.defaultMinor}.5 (EKS picks the patch).`,
  flavours: ['eks'],
  check(intent) {
    const v = intent.spec.cluster.kubernetesVersion;
    if (EKS.supportedMinors.includes(minorOf(v))) return [];
    return [finding(this, ['spec', 'cluster', 'kubernetesVersion'], `${v}: minor 1.${minorOf(v)} is not deployed on EKS by multinic (supported: ${list()})`)];
  },
};
