import { finding, type Finding, type Rule } from './types';

export const defaultRouteOnSecondaryRule: Rule = {
  id: 'multinic:DefaultRouteOnSecondary',
  level: 'warning',
  summary: 'A network installs a default route (0.0.0.0/0) in the pod without sbr.',
  why: 'The pod then has two default routes: traffic to the cluster (DNS, services) may leave through the secondary interface and be dropped.',
  fix: 'Route only the prefixes you need through the secondary network, or set sbr: true so only traffic from its address uses it.',
  check(intent) {
    const findings: Finding[] = [];
    intent.spec.networks.forEach((n, i) => {
      if (n.sbr || n.ipam.type === 'dhcp') return;
      (n.ipam.routes ?? []).forEach((r, j) => {
        if (r.dst === '0.0.0.0/0') findings.push(finding(this, ['spec', 'networks', i, 'ipam', 'routes', j, 'dst'], `network "${n.namespace}/${n.name}" gives its pods a second default route`));
      });
    });
    return findings;
  },
};
