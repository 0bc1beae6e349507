import { dhcp, macvlan, MACVLAN_DEFAULTS, MACVLAN_MODES, type MacvlanProps } from '../../lib/cni';

const ipam = dhcp();

describe('macvlan', () => {
  test.each<[string, MacvlanProps, object]>([
    ['defaults mode to bridge', { master: 'multus0', ipam }, { type: 'macvlan', master: 'multus0', mode: 'bridge', ipam }],
    ['keeps mode and mtu', { master: 'eth1', mode: 'passthru', mtu: 9001, ipam }, { type: 'macvlan', master: 'eth1', mode: 'passthru', mtu: 9001, ipam }],
    ['keeps mtu 0 (the master\'s MTU)', { master: 'eth1', mtu: 0, ipam }, { type: 'macvlan', master: 'eth1', mode: 'bridge', mtu: 0, ipam }],
  ])('%s', (_name, props, expected) => {
    // GIVEN / WHEN / THEN
    expect(macvlan(props)).toStrictEqual(expected);
  });

  test('the documented defaults are the ones applied', () => {
    // GIVEN / WHEN / THEN
    expect(macvlan({ master: 'm', ipam }).mode).toBe(MACVLAN_DEFAULTS.mode);
    expect(MACVLAN_MODES).toEqual(['bridge', 'private', 'vepa', 'passthru']);
  });

  test.each<[string, MacvlanProps, string]>([
    ['an empty master', { master: '', ipam }, 'macvlan.master: "" is not a Linux interface name; use 1 to 15 characters without "/", ":" or spaces'],
    ['a 16-character master', { master: 'abcdefghijklmnop', ipam }, 'macvlan.master: "abcdefghijklmnop" is not a Linux interface name; use 1 to 15 characters without "/", ":" or spaces'],
    ['an unknown mode', { master: 'm', mode: 'l2' as 'bridge', ipam }, 'macvlan.mode: unknown value "l2"; use one of bridge, private, vepa, passthru'],
    ['a negative mtu', { master: 'm', mtu: -1, ipam }, 'macvlan.mtu: -1 is not an MTU; use a whole number from 0 to 65535'],
    ['a fractional mtu', { master: 'm', mtu: 1500.5, ipam }, 'macvlan.mtu: 1500.5 is not an MTU; use a whole number from 0 to 65535'],
  ])('refuses %s', (_name, props, message) => {
    // GIVEN / WHEN / THEN
    expect(() => macvlan(props)).toThrow(expect.objectContaining({ name: 'MultinicError', code: 'CNI_INVALID_CONFIG', message }));
  });
});
