import { dhcp } from '../../../lib/cni';

describe('dhcp', () => {
  test.each<[string, Parameters<typeof dhcp>[0], object]>([
    ['no props: the plugin default socket', undefined, { type: 'dhcp' }],
    ['a socket path', { daemonSocketPath: '/run/cni/dhcp.sock' }, { type: 'dhcp', daemonSocketPath: '/run/cni/dhcp.sock' }],
  ])('%s', (_name, props, expected) => {
    // GIVEN / WHEN / THEN
    expect(dhcp(props)).toStrictEqual(expected);
  });

  test('refuses a relative socket path', () => {
    // GIVEN / WHEN / THEN
    expect(() => dhcp({ daemonSocketPath: 'dhcp.sock' })).toThrow(expect.objectContaining({
      name: 'MultinicError', code: 'CNI_INVALID_CONFIG', message: 'dhcp.daemonSocketPath: "dhcp.sock" is not an absolute path',
    }));
  });
});
