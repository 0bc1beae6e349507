import { dhcp, ipvlan, IPVLAN_DEFAULTS, IPVLAN_MODES, type IpvlanProps } from '../../lib/cni';

const ipam = dhcp();

describe('ipvlan', () => {
  test.each<[string, IpvlanProps, object]>([
    ['defaults mode to l2', { master: 'multus0', ipam }, { type: 'ipvlan', master: 'multus0', mode: 'l2', ipam }],
    ['keeps l3s and mtu', { master: 'multus0', mode: 'l3s', mtu: 1500, ipam }, { type: 'ipvlan', master: 'multus0', mode: 'l3s', mtu: 1500, ipam }],
  ])('%s', (_name, props, expected) => {
    // GIVEN / WHEN / THEN
    expect(ipvlan(props)).toStrictEqual(expected);
  });

  test('the documented defaults are the ones applied', () => {
    // GIVEN / WHEN / THEN
    expect(ipvlan({ master: 'm', ipam }).mode).toBe(IPVLAN_DEFAULTS.mode);
    expect(IPVLAN_MODES).toEqual(['l2', 'l3', 'l3s']);
  });

  test.each<[string, IpvlanProps, string]>([
    ['a master with a slash', { master: 'a/b', ipam }, 'ipvlan.master: "a/b" is not a Linux interface name; use 1 to 15 characters without "/", ":" or spaces'],
    ['a macvlan mode', { master: 'm', mode: 'bridge' as 'l2', ipam }, 'ipvlan.mode: unknown value "bridge"; use one of l2, l3, l3s'],
    ['an mtu above 65535', { master: 'm', mtu: 70000, ipam }, 'ipvlan.mtu: 70000 is not an MTU; use a whole number from 0 to 65535'],
  ])('refuses %s', (_name, props, message) => {
    // GIVEN / WHEN / THEN
    expect(() => ipvlan(props)).toThrow(expect.objectContaining({ name: 'MultinicError', code: 'CNI_INVALID_CONFIG', message }));
  });
});
