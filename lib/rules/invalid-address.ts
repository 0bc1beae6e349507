import { Ipv4Address, Ipv4Cidr } from '../net/ipv4';
import { finding, type Finding, type IntentPath, type Rule } from './types';

/** Every address and CIDR field of the intent, with its path. */
export function addressFields(spec: import('../intent/types').IntentSpec): Array<{ path: IntentPath; value: string; kind: 'cidr' | 'ip' | 'ip-cidr' }> {
  const out: Array<{ path: IntentPath; value: string; kind: 'cidr' | 'ip' | 'ip-cidr' }> = [];
  const c = (path: IntentPath, value: string | undefined, kind: 'cidr' | 'ip' | 'ip-cidr' = 'cidr') => { if (value !== undefined) out.push({ path, value, kind }); };
  c(['spec', 'cluster', 'podCidr'], spec.cluster.podCidr);
  c(['spec', 'cluster', 'serviceCidr'], spec.cluster.serviceCidr);
  c(['spec', 'cluster', 'adminCidr'], spec.cluster.adminCidr);
  c(['spec', 'vpc', 'cidr'], spec.vpc.cidr);
  spec.subnets.forEach((s, i) => { c(['spec', 'subnets', i, 'cidr'], s.cidr); c(['spec', 'subnets', i, 'podCidrReservation'], s.podCidrReservation); });
  spec.networks.forEach((n, i) => {
    const b: IntentPath = ['spec', 'networks', i, 'ipam'];
    const routes = (rs: Array<{ dst: string; gw?: string }> | undefined) => rs?.forEach((r, k) => { c([...b, 'routes', k, 'dst'], r.dst); c([...b, 'routes', k, 'gw'], r.gw, 'ip'); });
    const ipam = n.ipam;
    switch (ipam.type) {
      case 'host-local':
        ipam.ranges.forEach((set, j) => set.forEach((r, k) => {
          const p = [...b, 'ranges', j, k];
          c([...p, 'subnet'], r.subnet); c([...p, 'rangeStart'], r.rangeStart, 'ip'); c([...p, 'rangeEnd'], r.rangeEnd, 'ip'); c([...p, 'gateway'], r.gateway, 'ip');
        }));
        routes(ipam.routes);
        break;
      case 'whereabouts':
        c([...b, 'range'], ipam.range); c([...b, 'range_start'], ipam.range_start, 'ip'); c([...b, 'range_end'], ipam.range_end, 'ip'); c([...b, 'gateway'], ipam.gateway, 'ip');
        ipam.exclude?.forEach((e, k) => c([...b, 'exclude', k], e));
        routes(ipam.routes);
        break;
      case 'static':
        ipam.addresses.forEach((a, k) => { c([...b, 'addresses', k, 'address'], a.address, 'ip-cidr'); c([...b, 'addresses', k, 'gateway'], a.gateway, 'ip'); });
        routes(ipam.routes);
        ipam.dns?.nameservers?.forEach((s, k) => c([...b, 'dns', 'nameservers', k], s, 'ip'));
        break;
      case 'dhcp':
        break;
      case 'eni-prefix':
        routes(ipam.routes);
        break;
    }
  });
  return out;
}

export const invalidAddressRule: Rule = {
  id: 'multinic:InvalidAddress',
  level: 'error',
  summary: 'An IPv4 address or CIDR in the intent does not parse, or a CIDR has host bits set.',
  why: 'The CNI plugins and EC2 reject such values only at run time, on the node, after the pod is scheduled.',
  fix: 'Write addresses as a.b.c.d and CIDRs as network/length with the host bits zero.',
  check(intent) {
    const findings: Finding[] = [];
    for (const f of addressFields(intent.spec)) {
      let reason: string | undefined;
      if (f.kind === 'ip') {
        const r = Ipv4Address.tryParse(f.value);
        if (typeof r === 'string') reason = r;
      } else if (f.kind === 'cidr') {
        const r = Ipv4Cidr.tryParse(f.value);
        if (typeof r === 'string') reason = r;
      } else {
        const m = /^(.+)\/(\d{1,2})$/.exec(f.value);
        const ip = m ? Ipv4Address.tryParse(m[1]) : undefined;
        if (!m || Number(m[2]) > 32) reason = `"${f.value}" is not an address with a prefix length (e.g. 10.1.0.5/24)`;
        else if (typeof ip === 'string') reason = ip;
      }
      if (reason) findings.push(finding(this, f.path, reason));
    }
    return findings;
  },
};
