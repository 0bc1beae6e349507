import { buildModel } from '../../lib/model/model';
import { crossNodeRoutable, selftestId, selftestNetworks } from '../../lib/selftest/matrix';
import { networkIntentSchema } from '../../lib/intent/schema';
import { defaultIntent, defaultModel, seedFaithfulModel } from '../util/default-model';
import { baseIntent, specOf } from '../util/intent';

describe('selftestNetworks', () => {
  // GIVEN the default intent: four ipvlan networks on eni-prefix (the seed's three and routable-net), two workers
  const nets = selftestNetworks(defaultModel());
  const casesOf = (list: typeof nets, key: string) => list.find((n) => n.network.key === key)!.cases;
  const table = (key: string, list = nets) => casesOf(list, key).map((c) => `${c.client} ${c.server.replace(/^.*-server-/, '')} ${c.via} ${c.sameNode ? 'same' : 'cross'} ${c.expect}`);
  const SEED = ['default/ipvlan-conf', 'dcjeon/whereabouts-eth1-conf', 'redhet-demo/ipvlan-whereabouts-net-attach-def'];

  test.each([...SEED, 'redhet-demo/routable-net'])('default intent, %s (eni-prefix): every attached case passes, across nodes too; the unattached client fails over net1', (key) => {
    expect(table(key)).toEqual([
      'attached a eth0 same pass', 'attached a net1 same pass', 'attached b eth0 cross pass', 'attached b net1 cross pass',
      'unattached a eth0 same pass', 'unattached a net1 same fail', 'unattached b eth0 cross pass', 'unattached b net1 cross fail',
    ]);
    expect(casesOf(nets, key)[3].why).toBe('eni-prefix addresses are assigned to the ENI');
    expect(nets.find((n) => n.network.key === key)!.crossNodeRoutable).toBe(true);
  });

  test.each(SEED)('examples/seed-faithful.yaml, %s: cross-node over net1 expected to fail (the seed\'s test 7)', (key) => {
    const faithful = selftestNetworks(seedFaithfulModel());
    expect(table(key, faithful)[3]).toBe('attached b net1 cross fail');
    expect(casesOf(faithful, key)[3].why).toMatch(/addresses are not assigned to the ENI \(multinic:NotRoutableBetweenNodes\)$/);
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

  // The local cluster on a kernel without ipvlan runs macvlan with the VPC rule off (spec.platform generic): there
  // every network crosses nodes except host-local, whose per-node pools hand out the same addresses.
  test('spec.platform generic: macvlan and whereabouts cross nodes, host-local does not', () => {
    // GIVEN the rules' base intent (host-local default/ipvlan-conf, whereabouts dcjeon/whereabouts-eth1-conf, two
    // workers) on a generic network, its ipvlan networks as macvlan
    const input = baseIntent();
    input.spec.platform = 'generic';
    for (const n of specOf(input).networks) Object.assign(n, { type: 'macvlan', mode: 'bridge' });
    const generic = buildModel(networkIntentSchema.parse(input));
    // WHEN
    const byKey = new Map(selftestNetworks(generic).map((n) => [n.network.key, n]));
    // THEN
    expect([...byKey.values()].map((n) => [n.network.key, n.crossNodeRoutable])).toEqual(
      generic.networks.map((n) => [n.key, n.network.ipam.type !== 'host-local']));
    const cross = (key: string) => byKey.get(key)!.cases.find((c) => c.client === 'attached' && c.via === 'net1' && !c.sameNode)!;
    expect(cross('dcjeon/whereabouts-eth1-conf')).toMatchObject({ expect: 'pass', why: 'spec.platform generic: the network between nodes carries any MAC and address' });
    expect(cross('default/ipvlan-conf')).toMatchObject({ expect: 'fail', why: 'host-local hands out the same addresses on every node (multinic:HostLocalAcrossNodes)' });
    expect(byKey.get('dcjeon/whereabouts-eth1-conf')!.cases.filter((c) => c.client === 'unattached' && c.via === 'net1').map((c) => c.expect)).toEqual(['fail', 'fail']);
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
