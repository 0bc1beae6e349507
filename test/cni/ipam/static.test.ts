import { staticGateway, staticIpam, type StaticIpamProps } from '../../../lib/cni';

describe('staticIpam', () => {
  test('keeps addresses, routes and dns as given', () => {
    // GIVEN
    const props: StaticIpamProps = {
      addresses: [{ address: '10.1.0.5/24', gateway: '10.1.0.1' }, { address: 'fd00::5/64' }],
      routes: [{ dst: '0.0.0.0/0', gw: '10.1.0.1' }],
      dns: { nameservers: ['10.1.0.2'], domain: 'example.com', search: ['svc'], options: ['ndots:2'] },
    };
    // WHEN / THEN
    expect(staticIpam(props)).toStrictEqual({ type: 'static', ...props });
  });

  test('accepts no address at all (the plugin does too)', () => {
    // GIVEN / WHEN / THEN
    expect(staticIpam({ addresses: [] })).toStrictEqual({ type: 'static', addresses: [] });
  });

  test.each<[string, StaticIpamProps, string]>([
    ['an address without prefix', { addresses: [{ address: '10.1.0.5' }] }, 'static.addresses[0].address: "10.1.0.5" is not a CIDR; write one like 10.0.0.0/24'],
    ['a gateway outside the address network', { addresses: [{ address: '10.1.0.5/24', gateway: '10.2.0.1' }] },
      'static.addresses[0].gateway: 10.2.0.1 is not inside 10.1.0.5/24; pick an address of that network'],
    ['a gateway that is not an address', { addresses: [{ address: '10.1.0.5/24', gateway: 'router' }] },
      'static.addresses[0].gateway: "router" is not an IP address; write one like 10.0.0.1'],
    ['a bad nameserver', { addresses: [], dns: { nameservers: ['dns.example'] } }, 'static.dns.nameservers[0]: "dns.example" is not an IP address; write one like 10.0.0.1'],
    ['a bad route', { addresses: [], routes: [{ dst: '10.0.0.0/40' }] }, 'static.routes[0].dst: "10.0.0.0/40" is not a CIDR; write one like 10.0.0.0/24'],
  ])('refuses %s', (_name, props, message) => {
    // GIVEN / WHEN / THEN
    expect(() => staticIpam(props)).toThrow(expect.objectContaining({ name: 'MultinicError', code: 'CNI_INVALID_CONFIG', message }));
  });
});

describe('staticGateway', () => {
  const ipam = staticIpam({ addresses: [{ address: '10.1.0.5/24' }, { address: '10.2.0.5/24', gateway: '10.2.0.1' }, { address: 'fd00::5/64', gateway: 'fd00::1' }] });
  test.each<[4 | 6, string | undefined, typeof ipam]>([
    [4, '10.2.0.1', ipam],
    [6, 'fd00::1', ipam],
    [4, undefined, staticIpam({ addresses: [{ address: '10.1.0.5/24' }] })],
  ])('IPv%s -> %s (the first address of that family with a gateway)', (family, expected, i) => {
    // GIVEN / WHEN / THEN
    expect(staticGateway(i, family)).toBe(expected);
  });
});
