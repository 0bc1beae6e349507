import { bridge, BRIDGE_DEFAULTS, dhcp, type BridgeProps } from '../../lib/cni';

const ipam = dhcp();

describe('bridge', () => {
  test.each<[string, BridgeProps, object]>([
    ['defaults the bridge name to cni0 and leaves the rest to the plugin', { ipam }, { type: 'bridge', bridge: 'cni0', ipam }],
    ['keeps every option, false and 0 included', { bridge: 'br1', isGateway: false, ipMasq: false, hairpinMode: true, mtu: 0, vlan: 0, ipam },
      { type: 'bridge', bridge: 'br1', isGateway: false, ipMasq: false, hairpinMode: true, mtu: 0, vlan: 0, ipam }],
    ['keeps vlan 4094', { vlan: 4094, ipam }, { type: 'bridge', bridge: 'cni0', vlan: 4094, ipam }],
  ])('%s', (_name, props, expected) => {
    // GIVEN / WHEN / THEN
    expect(bridge(props)).toStrictEqual(expected);
  });

  test('the documented default is the one applied', () => {
    // GIVEN / WHEN / THEN
    expect(bridge({ ipam }).bridge).toBe(BRIDGE_DEFAULTS.bridge);
  });

  test.each<[string, BridgeProps, string]>([
    ['a bridge name with a space', { bridge: 'br 0', ipam }, 'bridge.bridge: "br 0" is not a Linux interface name; use 1 to 15 characters without "/", ":" or spaces'],
    ['vlan 4095', { vlan: 4095, ipam }, 'bridge.vlan: 4095 is not a VLAN id; use a whole number from 0 (untagged) to 4094'],
    ['a negative vlan', { vlan: -1, ipam }, 'bridge.vlan: -1 is not a VLAN id; use a whole number from 0 (untagged) to 4094'],
    ['a negative mtu', { mtu: -5, ipam }, 'bridge.mtu: -5 is not an MTU; use a whole number from 0 to 65535'],
  ])('refuses %s', (_name, props, message) => {
    // GIVEN / WHEN / THEN
    expect(() => bridge(props)).toThrow(expect.objectContaining({ name: 'MultinicError', code: 'CNI_INVALID_CONFIG', message }));
  });
});
