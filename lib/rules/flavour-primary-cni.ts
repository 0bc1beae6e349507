import { PRIMARY_CNI_OF_FLAVOUR } from '../intent/schema';
import { finding, type Rule } from './types';

export const flavourPrimaryCniRule: Rule = {
  id: 'multinic:FlavourPrimaryCni',
  level: 'error',
  summary: 'The primary CNI does not match the cluster flavour (calico with kubeadm, aws-vpc-cni with eks).',
  why: 'multinic installs Calico only on its kubeadm control plane; on EKS, AWS supports Multus only with the Amazon VPC CNI as the cluster network Multus delegates to.',
  fix: 'Set spec.cluster.primaryCni to calico with flavour kubeadm, or to aws-vpc-cni with flavour eks.',
  check(intent) {
    const { flavour, primaryCni } = intent.spec.cluster;
    const want = PRIMARY_CNI_OF_FLAVOUR[flavour];
    if (primaryCni === want) return [];
    return [finding(this, ['spec', 'cluster', 'primaryCni'], `${primaryCni} is not the cluster network of flavour ${flavour}, which uses ${want}`,
      `Set primaryCni: ${want}, or set flavour: ${flavour === 'eks' ? 'kubeadm' : 'eks'}.`)];
  },
};
