import { buildModel } from '../../lib/model/model';
import { pascal, placeGroup, planNodeSubnets } from '../../infra/private/plan';
import { intentWith, richIntent } from './util';

describe('planNodeSubnets', () => {
  test.each([
    ['10.0.0.0/16', ['a', 'b'], ['10.0.0.0/20', '10.0.16.0/20'], '10.0.112.0/20'],
    ['10.0.0.0/16', ['a', 'b', 'c', 'd', 'e', 'f'], ['10.0.0.0/20', '10.0.16.0/20', '10.0.32.0/20', '10.0.48.0/20', '10.0.64.0/20', '10.0.80.0/20'], '10.0.112.0/20'],
    ['172.20.0.0/20', ['a'], ['172.20.0.0/24'], '172.20.7.0/24'],
  ])('VPC %s, zones %j: node subnets %j and public %s, all in the first half', (cidr, zones, nodes, pub) => {
    // GIVEN a VPC and zones WHEN planned THEN the blocks are consecutive from the VPC start, the NAT subnet is block 7
    const plan = planNodeSubnets(buildModel(intentWith((r) => { r.spec.vpc = { cidr, zones }; r.spec.subnets = []; r.spec.nodeGroups[1].interfaces = []; })));
    expect(plan.nodeSubnets).toEqual(zones.map((zone, i) => ({ zone, cidr: nodes[i] })));
    expect(plan.publicSubnet).toEqual({ zone: zones[0], cidr: pub });
  });

  test('a VPC that cannot be laid out was never validated: an internal error, not a user message', () => {
    const model = buildModel(intentWith((r) => { r.spec.vpc.cidr = '10.0.0.0/26'; }));
    expect(() => planNodeSubnets(model)).toThrow('internal: spec.vpc.cidr 10.0.0.0/26 cannot be laid out; validate the intent first (multinic:VpcSize)');
  });
});

describe('placeGroup', () => {
  const intent = richIntent();
  test.each([
    ['control-plane', ['a', 'b'], []],
    ['workers-a', ['a'], ['multus-a', 'storage-a']],
    ['workers-b', ['b'], ['multus-b']],
  ])('%s runs in zones %j with subnets %j in device order', (name, zones, subnets) => {
    const p = placeGroup(buildModel(intent), intent.spec.nodeGroups.find((g) => g.name === name)!);
    expect(p.zones).toEqual(zones);
    expect(p.interfaceSubnets.map((s) => s.name)).toEqual(subnets);
  });

  test('reads the zones the model resolved', () => {
    const model = buildModel(intent);
    expect(placeGroup(model, intent.spec.nodeGroups[1]).zones).toBe(model.nodeGroups[1].zones);
  });
});

describe('helpers', () => {
  test.each([['multus-a', 'MultusA'], ['control-plane', 'ControlPlane'], ['workers', 'Workers'], ['a_b.c', 'ABC']])('pascal(%s) = %s', (i, o) => {
    expect(pascal(i)).toBe(o);
  });
});
