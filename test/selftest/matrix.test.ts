import { buildModel } from '../../lib/model/model';
import { crossNodeRoutable, selftestId, selftestNetworks } from '../../lib/selftest/matrix';
import { defaultIntent, defaultModel } from '../util/default-model';

describe('selftestNetworks', () => {
  // GIVEN the default intent: three ipvlan networks with host-local/whereabouts, one with eni-prefix, two workers
  const nets = selftestNetworks(defaultModel());
  const table = (key: string) => nets.find((n) => n.network.key === key)!.cases.map((c) => `${c.client} ${c.server.replace(/^.*-server-/, '')} ${c.via} ${c.sameNode ? 'same' : 'cross'} ${c.expect}`);

  test('eni-prefix: every attached case passes, the unattached client fails over net1', () => {
    expect(table('redhet-demo/routable-net')).toEqual([
      'attached a eth0 same pass', 'attached a net1 same pass', 'attached b eth0 cross pass', 'attached b net1 cross pass',
      'unattached a eth0 same pass', 'unattached a net1 same fail', 'unattached b eth0 cross pass', 'unattached b net1 cross fail',
    ]);
  });

  test.each(['default/ipvlan-conf', 'dcjeon/whereabouts-eth1-conf', 'redhet-demo/ipvlan-whereabouts-net-attach-def'])('%s: cross-node over net1 expected to fail (the seed\'s test 7)', (key) => {
    expect(table(key)[3]).toBe('attached b net1 cross fail');
    expect(nets.find((n) => n.network.key === key)!.cases[3].why).toMatch(/addresses are not assigned to the ENI \(multinic:NotRoutableBetweenNodes\)$/);
  });

  test('ids are DNS-1123, distinct, and stable for a key', () => {
    expect(nets.map((n) => n.id)).toEqual(nets.map((n) => selftestId(n.network)));
    expect(new Set(nets.map((n) => n.id)).size).toBe(4);
    for (const n of nets) expect(n.id).toMatch(/^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?-[0-9a-f]{8}$/);
  });

  test('a macvlan network is never cross-node routable, even with eni-prefix', () => {
    const n = defaultModel().networks[0];
    expect(crossNodeRoutable({ ...n, network: { ...n.network, type: 'macvlan', ipam: { type: 'eni-prefix', prefixes: 1 } } as never })).toBe(false);
  });

  test('one node carrying the master: server A only, no cross-node case', () => {
    // GIVEN one worker
    const intent = defaultIntent();
    const one = buildModel({ ...intent, spec: { ...intent.spec, nodeGroups: intent.spec.nodeGroups.map((g) => ({ ...g, count: 1 })) } });
    // WHEN  THEN
    const n = selftestNetworks(one)[0];
    expect(n.servers.map((s) => s.pod)).toEqual([`${n.id}-server-a`]);
    expect(n.cases.every((c) => c.sameNode)).toBe(true);
    expect(n.cases).toHaveLength(4);
  });

  test('host-device networks are left out', () => {
    const intent = defaultIntent();
    const hd = buildModel({ ...intent, spec: { ...intent.spec, networks: [{ ...intent.spec.networks[0], type: 'host-device', device: 'multus0' } as never] } });
    expect(selftestNetworks(hd)).toEqual([]);
  });
});
