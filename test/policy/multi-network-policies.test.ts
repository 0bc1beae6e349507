import type { NetworkIntentInput } from '../../lib/intent/types';
import { validateText } from '../../lib/intent/validate';
import { icmpRuleLines, multiNetworkPolicies, NAMESPACE_NAME_LABEL, policedPlugins } from '../../lib/policy/multi-network-policies';
import { baseIntent, type Mutate, network, specOf, yamlOf } from '../util/intent';
import { defaultModel } from '../util/default-model';

function modelOf(mutate: Mutate) {
  const i: NetworkIntentInput = baseIntent();
  mutate(i);
  const r = validateText(yamlOf(i));
  if (!r.model) throw new Error(r.findings.map((f) => f.message).join('\n'));
  return r.model;
}

describe('multiNetworkPolicies', () => {
  test('GIVEN networks without ingress THEN one deny-all policy per network, in the namespace of its pods', () => {
    expect(multiNetworkPolicies(modelOf(() => undefined))).toEqual([
      { name: 'multinic-default-ipvlan-conf', namespace: 'default', network: 'default/ipvlan-conf', podSelector: {}, ingress: [], source: 'spec.networks[0]' },
      { name: 'multinic-dcjeon-whereabouts-eth1-conf', namespace: 'dcjeon', network: 'dcjeon/whereabouts-eth1-conf', podSelector: {}, ingress: [], source: 'spec.networks[1]' },
    ]);
  });

  test('GIVEN a rule with ports THEN an allow policy whose pod peers carry both selectors, and CIDR peers an ipBlock', () => {
    const policies = multiNetworkPolicies(modelOf((i) => {
      network(i, 1).ingress = [{ pods: { app: 'ubuntu' }, from: [{ pods: { app: 'ubuntu' } }, { cidr: '10.8.0.0/16', except: ['10.8.1.0/24'] }], ports: [{ port: 80 }, { protocol: 'UDP' }] }];
    }));
    expect(policies[2]).toEqual({
      name: 'multinic-dcjeon-whereabouts-eth1-conf-0', namespace: 'dcjeon', network: 'dcjeon/whereabouts-eth1-conf', podSelector: { app: 'ubuntu' },
      ingress: [{
        from: [
          { podSelector: { matchLabels: { app: 'ubuntu' } }, namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'dcjeon' } } },
          { ipBlock: { cidr: '10.8.0.0/16', except: ['10.8.1.0/24'] } },
        ],
        ports: [{ protocol: 'TCP', port: 80 }, { protocol: 'UDP' }],
      }],
      source: 'spec.networks[1].ingress[0]',
    });
  });

  test('GIVEN an ICMP-only rule THEN no allow policy (ports cannot say ICMP): the deny-all stays alone', () => {
    const policies = multiNetworkPolicies(modelOf((i) => { network(i, 1).ingress = [{ from: [{ pods: { app: 'ubuntu' } }], icmp: true }]; }));
    expect(policies.map((p) => p.name)).toEqual(['multinic-default-ipvlan-conf', 'multinic-dcjeon-whereabouts-eth1-conf']);
  });

  test('GIVEN a network attached from two namespaces THEN its policies in both', () => {
    const policies = multiNetworkPolicies(modelOf((i) => { specOf(i).workloads[0].networks = ['dcjeon/whereabouts-eth1-conf']; }));
    expect(policies.filter((p) => p.network === 'dcjeon/whereabouts-eth1-conf').map((p) => p.namespace)).toEqual(['dcjeon', 'default']);
  });
});

describe('icmpRuleLines', () => {
  test('GIVEN pod peers and a CIDR with except THEN ICMP from each source block to each pod block of the network', () => {
    const lines = icmpRuleLines(modelOf((i) => {
      network(i, 0).ingress = [{ from: [{ pods: {} }, { cidr: '10.8.0.0/23', except: ['10.8.1.0/24'] }], icmp: true }];
    }));
    const own = ['192.168.1.200/29', '192.168.1.208/29', '192.168.1.216/32'];
    expect(lines).toEqual([
      '# default/ipvlan-conf',
      ...[...own, '10.8.0.0/24'].flatMap((src) => own.map((dst) => `-s ${src} -d ${dst} -p icmp -j ACCEPT`)),
    ]);
  });

  test('GIVEN no rule with icmp THEN no line: ping is denied on every network', () => {
    expect(icmpRuleLines(modelOf((i) => { network(i, 1).ingress = [{ from: [{ pods: { app: 'ubuntu' } }], ports: [{ port: 80 }] }]; }))).toEqual([]);
  });
});

describe('policedPlugins', () => {
  test('every plugin type the intent uses, sorted (the daemon defaults to macvlan only)', () => {
    expect(policedPlugins(modelOf((i) => { (specOf(i).networks as unknown[]).push({ name: 'br', type: 'bridge', ipam: { type: 'static', addresses: [{ address: '10.10.0.5/24' }] } }); }))).toEqual(['bridge', 'ipvlan']);
  });
  test('the default intent', () => {
    expect(policedPlugins(defaultModel())).toEqual(['ipvlan']);
  });
});
