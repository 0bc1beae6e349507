import type { NetworkIntentInput } from '../../lib/intent/types';
import { validateText } from '../../lib/intent/validate';
import { securityGroupRules } from '../../lib/policy/security-group-rules';
import { baseIntent, type Mutate, network, yamlOf } from '../util/intent';
import { defaultModel } from '../util/default-model';

function rulesOf(mutate: Mutate, n = 1) {
  const i: NetworkIntentInput = baseIntent();
  mutate(i);
  const r = validateText(yamlOf(i));
  if (!r.model) throw new Error(r.findings.map((f) => f.message).join('\n'));
  return securityGroupRules(r.model, r.model.networks[n]).map(({ protocol, fromPort, toPort, cidr }) => `${protocol} ${fromPort}-${toPort} ${cidr}`);
}

describe('securityGroupRules', () => {
  test('GIVEN no ingress THEN no rule: the ENI admits nothing for this network', () => {
    expect(rulesOf(() => undefined)).toEqual([]);
  });

  test('GIVEN a pod peer on port 80 and icmp THEN the network\'s pod blocks, per protocol, nothing wider', () => {
    const rules = rulesOf((i) => { network(i, 0).ingress = [{ from: [{ pods: {} }], ports: [{ port: 80 }], icmp: true }]; }, 0);
    expect(rules).toEqual([
      'tcp 80-80 192.168.1.200/29', 'icmp -1--1 192.168.1.200/29',
      'tcp 80-80 192.168.1.208/29', 'icmp -1--1 192.168.1.208/29',
      'tcp 80-80 192.168.1.216/32', 'icmp -1--1 192.168.1.216/32',
    ]);
  });

  test('GIVEN a CIDR peer with except, a UDP range and every TCP port THEN the CIDR minus except, exactly', () => {
    const rules = rulesOf((i) => {
      network(i, 1).ingress = [{ from: [{ cidr: '10.8.0.0/23', except: ['10.8.1.0/24'] }], ports: [{ port: 9000, endPort: 9010, protocol: 'UDP' }, { protocol: 'TCP' }] }];
    });
    expect(rules).toEqual(['udp 9000-9010 10.8.0.0/24', 'tcp 0-65535 10.8.0.0/24']);
  });

  test('GIVEN a pod peer that selects nothing THEN no rule for it (it admits no one)', () => {
    expect(rulesOf((i) => { network(i, 1).ingress = [{ from: [{ pods: { app: 'nobody' } }], ports: [{ port: 80 }] }]; })).toEqual([]);
  });

  test('GIVEN two rules admitting the same THEN one security group rule', () => {
    const rule = { from: [{ cidr: '10.8.0.0/24' }], ports: [{ port: 80 }] };
    expect(rulesOf((i) => { network(i, 1).ingress = [rule, rule]; })).toEqual(['tcp 80-80 10.8.0.0/24']);
  });

  test('the default intent: routable-net admits ICMP from subnet multus-a only; the ipvlan-conf network nothing', () => {
    const model = defaultModel();
    const by = (key: string) => securityGroupRules(model, model.networkByKey.get(key)!);
    expect(by('redhet-demo/routable-net')).toEqual([{ protocol: 'icmp', fromPort: -1, toPort: -1, cidr: '10.0.128.0/24', description: 'spec.networks[3].ingress[0] (redhet-demo/routable-net)' }]);
    expect(by('default/ipvlan-conf')).toEqual([]);
  });
});
