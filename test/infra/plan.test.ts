import { MultinicError } from '../../lib/errors';
import { kubernetesMinor, pascal, placeGroup, planNodeSubnets } from '../../infra/private/plan';
import { intentWith, richIntent } from './util';

describe('planNodeSubnets', () => {
  test.each([
    ['10.0.0.0/16', ['a', 'b'], ['10.0.0.0/20', '10.0.16.0/20'], '10.0.112.0/20'],
    ['10.0.0.0/16', ['a', 'b', 'c', 'd', 'e', 'f'], ['10.0.0.0/20', '10.0.16.0/20', '10.0.32.0/20', '10.0.48.0/20', '10.0.64.0/20', '10.0.80.0/20'], '10.0.112.0/20'],
    ['172.20.0.0/20', ['a'], ['172.20.0.0/24'], '172.20.7.0/24'],
  ])('VPC %s, zones %j: node subnets %j and public %s, all in the first half', (cidr, zones, nodes, pub) => {
    // GIVEN a VPC and zones WHEN planned THEN the blocks are consecutive from the VPC start, the NAT subnet is block 7
    const plan = planNodeSubnets(intentWith((r) => { r.spec.vpc = { cidr, zones }; r.spec.subnets = []; r.spec.nodeGroups[1].interfaces = []; }));
    expect(plan.nodeSubnets).toEqual(zones.map((zone, i) => ({ zone, cidr: nodes[i] })));
    expect(plan.publicSubnet).toEqual({ zone: zones[0], cidr: pub });
  });

  test('a secondary subnet over a node subnet names both and the free half', () => {
    const intent = intentWith((r) => { r.spec.subnets![0].cidr = '10.0.0.0/24'; });
    expect(() => planNodeSubnets(intent)).toThrow('spec.subnets[0].cidr: 10.0.0.0/24 overlaps 10.0.0.0/20, which multinic uses for node or NAT subnets (the first half of the VPC, 10.0.0.0/16); move the subnet into the second half, e.g. from 10.0.128.0.');
  });
});

describe('placeGroup', () => {
  const intent = richIntent();
  test.each([
    ['control-plane', ['a', 'b'], []],
    ['workers-a', ['a'], ['multus-a', 'storage-a']],
    ['workers-b', ['b'], ['multus-b']],
  ])('%s runs in zones %j with subnets %j in device order', (name, zones, subnets) => {
    const p = placeGroup(intent, intent.spec.nodeGroups.find((g) => g.name === name)!);
    expect(p.zones).toEqual(zones);
    expect(p.interfaceSubnets.map((s) => s.name)).toEqual(subnets);
  });

  test('a subnet in a zone the VPC lacks is an error', () => {
    const bad = intentWith((r) => { r.spec.subnets![0].zone = 'c'; });
    let error: unknown;
    try { placeGroup(bad, bad.spec.nodeGroups[1]); } catch (e) { error = e; }
    expect((error as MultinicError).code).toBe('UNKNOWN_ZONE');
  });
});

describe('helpers', () => {
  test.each([['multus-a', 'MultusA'], ['control-plane', 'ControlPlane'], ['workers', 'Workers'], ['a_b.c', 'ABC']])('pascal(%s) = %s', (i, o) => {
    expect(pascal(i)).toBe(o);
  });
  test.each([['1.33.5', 33], ['1.31.0', 31]])('kubernetesMinor(%s) = %d', (v, m) => {
    expect(kubernetesMinor(v)).toBe(m);
  });
});
