import { parseAttachment } from '../model/attachment';
import { finding, type Finding, type Rule } from './types';

export const serviceNetworkNotFoundRule: Rule = {
  id: 'multinic:ServiceNetworkNotFound',
  level: 'error',
  summary: 'A Service names a secondary network that is not defined in the namespace it resolves to.',
  why: 'The service-network annotation points at nothing: no endpoint is ever published on it.',
  fix: 'Name a network from spec.networks, as name (same namespace) or namespace/name.',
  check(intent, model) {
    const findings: Finding[] = [];
    intent.spec.services.forEach((s, i) => {
      if (s.network === undefined) return;
      const a = parseAttachment(s.network, s.namespace);
      const path = ['spec', 'services', i, 'network'];
      if (typeof a === 'string') findings.push(finding(this, path, a));
      else if (a.ifname) findings.push(finding(this, path, `"${s.network}": a service network takes no @ifname`, 'Remove the @ifname part.'));
      else if (!model.networkByKey.has(a.key)) findings.push(finding(this, path, `network "${a.key}" is not defined`));
    });
    return findings;
  },
};

export const serviceNetworkNotProxiedRule: Rule = {
  id: 'multinic:ServiceNetworkNotProxied',
  level: 'warning',
  summary: 'A Service is meant for a secondary network, which needs multus-service; multinic does not install it.',
  why: 'k8s.v1.cni.cncf.io/service-network only takes effect with the multus-service controller and proxy, an archived project (CRI-O and amd64 only). multinic keeps the annotation but leaves the Service to kube-proxy, so it answers on the cluster network (eth0), not on the secondary network.',
  fix: 'Reach the pods on the secondary network by their addresses (see their k8s.v1.cni.cncf.io/network-status), or install multus-service yourself and add the label service.kubernetes.io/service-proxy-name: multus-proxy.',
  check(intent) {
    const findings: Finding[] = [];
    intent.spec.services.forEach((s, i) => {
      if (s.network !== undefined) {
        findings.push(finding(this, ['spec', 'services', i, 'network'], `Service "${s.namespace}/${s.name}" will be served on the cluster network: nothing proxies k8s.v1.cni.cncf.io/service-network "${s.network}"`));
      }
    });
    return findings;
  },
};
