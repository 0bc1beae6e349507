import { hostLocal, hostLocalGateway, type HostLocalIpamProps } from '../../../lib/cni';

describe('hostLocal', () => {
  test('keeps ranges, routes and dataDir as given, copied', () => {
    // GIVEN
    const props: HostLocalIpamProps = {
      ranges: [[{ subnet: '192.168.1.0/24', rangeStart: '192.168.1.200', rangeEnd: '192.168.1.216', gateway: '192.168.1.1' }], [{ subnet: 'fd00::/64' }]],
      routes: [{ dst: '0.0.0.0/0' }],
      dataDir: '/var/lib/cni/multinic',
    };
    // WHEN
    const ipam = hostLocal(props);
    // THEN
    expect(ipam).toStrictEqual({ type: 'host-local', ...props });
    expect(ipam.ranges[0]).not.toBe(props.ranges[0]);
  });

  test('leaves routes and dataDir out when not given', () => {
    // GIVEN / WHEN / THEN
    expect(hostLocal({ ranges: [[{ subnet: '10.0.0.0/8' }]] })).toStrictEqual({ type: 'host-local', ranges: [[{ subnet: '10.0.0.0/8' }]] });
  });

  test.each<[string, HostLocalIpamProps, string]>([
    ['no range set', { ranges: [] }, 'host-local.ranges: empty; give at least one range set with at least one range'],
    ['an empty range set', { ranges: [[]] }, 'host-local.ranges: empty; give at least one range set with at least one range'],
    ['a subnet that is not a CIDR', { ranges: [[{ subnet: '10.0.0.0' }]] }, 'host-local.ranges[0][0].subnet: "10.0.0.0" is not a CIDR; write one like 10.0.0.0/24'],
    ['a prefix too long', { ranges: [[{ subnet: '10.0.0.0/33' }]] }, 'host-local.ranges[0][0].subnet: "10.0.0.0/33" is not a CIDR; write one like 10.0.0.0/24'],
    ['a bad octet', { ranges: [[{ subnet: '10.0.0.256/24' }]] }, 'host-local.ranges[0][0].subnet: "10.0.0.256/24" is not a CIDR; write one like 10.0.0.0/24'],
    ['host bits set', { ranges: [[{ subnet: '10.0.0.5/24' }]] }, 'host-local.ranges[0][0].subnet: "10.0.0.5/24" has host bits set; the network address is 10.0.0.0/24'],
    ['rangeStart outside the subnet', { ranges: [[{ subnet: '10.20.0.0/24', rangeStart: '10.21.0.5' }]] },
      'host-local.ranges[0][0].rangeStart: 10.21.0.5 is not inside subnet 10.20.0.0/24; pick an address of the subnet'],
    ['rangeEnd outside the subnet', { ranges: [[{ subnet: '10.20.0.0/24' }], [{ subnet: '10.30.0.0/24', rangeEnd: '10.30.1.1' }]] },
      'host-local.ranges[1][0].rangeEnd: 10.30.1.1 is not inside subnet 10.30.0.0/24; pick an address of the subnet'],
    ['a gateway outside the subnet', { ranges: [[{ subnet: '10.20.0.0/24', gateway: '10.0.0.1' }]] },
      'host-local.ranges[0][0].gateway: 10.0.0.1 is not inside subnet 10.20.0.0/24; pick an address of the subnet'],
    ['rangeStart after rangeEnd (numerically, not as text)', { ranges: [[{ subnet: '10.20.0.0/24', rangeStart: '10.20.0.100', rangeEnd: '10.20.0.20' }]] },
      'host-local.ranges[0][0]: rangeStart 10.20.0.100 is after rangeEnd 10.20.0.20; swap them'],
    ['a route gw of the other family', { ranges: [[{ subnet: '10.20.0.0/24' }]], routes: [{ dst: '0.0.0.0/0', gw: 'fd00::1' }] },
      'host-local.routes[0].gw: "fd00::1" is not of the same IP family as dst "0.0.0.0/0"'],
    ['a route dst that is not a CIDR', { ranges: [[{ subnet: '10.20.0.0/24' }]], routes: [{ dst: 'default' }] },
      'host-local.routes[0].dst: "default" is not a CIDR; write one like 10.0.0.0/24'],
    ['a relative dataDir', { ranges: [[{ subnet: '10.20.0.0/24' }]], dataDir: 'state' }, 'host-local.dataDir: "state" is not an absolute path'],
  ])('refuses %s', (_name, props, message) => {
    // GIVEN / WHEN / THEN
    expect(() => hostLocal(props)).toThrow(expect.objectContaining({ name: 'MultinicError', code: 'CNI_INVALID_CONFIG', message }));
  });

  test('accepts rangeStart 10.20.0.9 before rangeEnd 10.20.0.10 (a text comparison would not)', () => {
    // GIVEN / WHEN / THEN
    expect(() => hostLocal({ ranges: [[{ subnet: '10.20.0.0/24', rangeStart: '10.20.0.9', rangeEnd: '10.20.0.10' }]] })).not.toThrow();
  });
});

describe('hostLocalGateway', () => {
  const ipam = hostLocal({ ranges: [[{ subnet: '10.1.0.0/24' }, { subnet: '10.2.0.0/24', gateway: '10.2.0.254' }], [{ subnet: 'fd00:1::/64', gateway: 'fd00:1::fe' }]] });
  test.each<[string, Parameters<typeof hostLocalGateway>[0], 4 | 6, string | undefined]>([
    ['the first IPv4 range without gateway: its first host', ipam, 4, '10.1.0.1'],
    ['IPv6: the range gateway', ipam, 6, 'fd00:1::fe'],
    ['no range of the family', hostLocal({ ranges: [[{ subnet: '10.1.0.0/24' }]] }), 6, undefined],
    ['a /31-style small subnet still has a first host', hostLocal({ ranges: [[{ subnet: '10.9.0.8/30' }]] }), 4, '10.9.0.9'],
  ])('%s', (_name, i, family, expected) => {
    // GIVEN / WHEN / THEN
    expect(hostLocalGateway(i, family)).toBe(expected);
  });
});
