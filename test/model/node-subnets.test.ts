import { layoutable, nodeHalf, nodeSubnets, vpcLayout } from '../../lib/model/node-subnets';

const vpc = (cidr: string, zones: string[]) => ({ cidr, zones, mtu: 9001 });

describe('vpcLayout', () => {
  test('a /16 with two zones: /20 node subnets in blocks 0 and 1, the NAT subnet in block 7, all in the first half', () => {
    // WHEN
    const layout = vpcLayout(vpc('10.0.0.0/16', ['a', 'b']));
    // THEN
    expect(layout.nodeSubnets.map((n) => `${n.zone}:${n.cidr}`)).toEqual(['a:10.0.0.0/20', 'b:10.0.16.0/20']);
    expect(`${layout.publicSubnet.zone}:${layout.publicSubnet.cidr}`).toBe('a:10.0.112.0/20');
    const half = nodeHalf(vpc('10.0.0.0/16', ['a']));
    expect(half.toString()).toBe('10.0.0.0/17');
    for (const s of [...layout.nodeSubnets.map((n) => n.cidr), layout.publicSubnet.cidr]) expect(half.containsCidr(s)).toBe(true);
  });

  test('six zones still fit below the NAT block', () => {
    expect(nodeSubnets(vpc('10.1.0.0/24', ['a', 'b', 'c', 'd', 'e', 'f'])).map((n) => n.cidr.toString()))
      .toEqual(['10.1.0.0/28', '10.1.0.16/28', '10.1.0.32/28', '10.1.0.48/28', '10.1.0.64/28', '10.1.0.80/28']);
  });

  test.each([['10.0.0.0/16', true], ['10.0.0.0/24', true], ['10.0.0.0/15', false], ['10.0.0.0/25', false], ['nonsense', false]])('layoutable(%s) is %s', (cidr, ok) => {
    expect(layoutable(vpc(cidr as string, ['a'])) !== undefined).toBe(ok);
  });
});
