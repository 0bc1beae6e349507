import { policyArpFluxRule as rule } from '../../lib/rules/policy-arp-flux';
import { findingsFor, type Mutate, network, pathsAndMessages, specOf } from '../util/intent';

const STRONG = { 'net.ipv4.conf.IFNAME.arp_ignore': '1', 'net.ipv4.conf.IFNAME.arp_announce': '2' };

/** Both base networks as macvlan on multus0 (platform generic), both attached by the dcjeon Deployment. */
const twoMacvlans = (sysctl?: Record<string, string>): Mutate => (i) => {
  i.spec.platform = 'generic';
  for (const n of [0, 1]) {
    Object.assign(network(i, n), { type: 'macvlan', mode: 'bridge', ...(sysctl ? { sysctl } : {}) });
  }
  specOf(i).workloads[1].networks = ['whereabouts-eth1-conf', 'default/ipvlan-conf'];
};

describe('multinic:PolicyArpFlux', () => {
  test('GIVEN a workload with two macvlan networks on one master without arp_ignore THEN a warning at its networks', () => {
    const found = findingsFor(twoMacvlans(), rule.id);
    expect(pathsAndMessages(found)).toEqual([{
      path: 'spec.workloads[1].networks',
      message: 'spec.workloads[1].networks: workload "dcjeon/ubuntu-whereabouts-deploy" attaches whereabouts-eth1-conf, ipvlan-conf over one layer-2 segment (macvlan on multus0) and whereabouts-eth1-conf, ipvlan-conf lack arp_ignore: packets for one of its interfaces can arrive on another, whose policy then drops what the right one admits',
    }]);
    expect(found[0].level).toBe('warning');
  });

  test.each<[string, Mutate]>([
    ['arp_ignore on both (IFNAME)', twoMacvlans(STRONG)],
    ['arp_ignore on both (all)', twoMacvlans({ 'net.ipv4.conf.all.arp_ignore': '1' })],
    ['ipvlan (children share the master\'s MAC)', (i) => { specOf(i).workloads[1].networks = ['whereabouts-eth1-conf', 'default/ipvlan-conf']; }],
    ['one macvlan network per workload', (i) => { twoMacvlans()(i); specOf(i).workloads[1].networks = ['whereabouts-eth1-conf']; }],
  ])('no warning with %s', (_what, mutate) => {
    expect(findingsFor(mutate, rule.id)).toEqual([]);
  });

  test('GIVEN only one of the two with arp_ignore THEN the warning names the other', () => {
    const found = findingsFor((i) => { twoMacvlans()(i); network(i, 1).sysctl = STRONG; }, rule.id);
    expect(found[0].message).toContain('and ipvlan-conf lack arp_ignore');
  });
});
