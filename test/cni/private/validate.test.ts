import { checkIfName, checkMtu, checkOneOf, checkRoutes, MAX_IFNAME_LENGTH, parseCidr, parseIp } from '../../../lib/cni/private/validate';

describe('checkIfName', () => {
  test.each(['eth1', 'multus0', 'a', 'abcdefghijklmno'])('accepts %j', (name) => {
    // GIVEN / WHEN / THEN
    expect(() => checkIfName('here', name)).not.toThrow();
  });

  test.each(['', 'abcdefghijklmnop', 'a b', 'a/b', 'a:b', '.', '..'])('refuses %j', (name) => {
    // GIVEN / WHEN / THEN
    expect(() => checkIfName('here', name)).toThrow(expect.objectContaining({
      code: 'CNI_INVALID_CONFIG', message: `here: "${name}" is not a Linux interface name; use 1 to 15 characters without "/", ":" or spaces`,
    }));
  });

  test('the limit is IFNAMSIZ - 1', () => {
    // GIVEN / WHEN / THEN
    expect(MAX_IFNAME_LENGTH).toBe(15);
  });
});

describe('checkMtu', () => {
  test.each([undefined, 0, 1500, 9001, 65535])('accepts %p', (mtu) => {
    // GIVEN / WHEN / THEN
    expect(() => checkMtu('here', mtu)).not.toThrow();
  });

  test.each([-1, 65536, 1.5, Number.NaN])('refuses %p', (mtu) => {
    // GIVEN / WHEN / THEN
    expect(() => checkMtu('here', mtu)).toThrow(expect.objectContaining({
      code: 'CNI_INVALID_CONFIG', message: `here: ${mtu} is not an MTU; use a whole number from 0 to 65535`,
    }));
  });
});

describe('checkOneOf', () => {
  test('accepts a listed value and refuses another with the list', () => {
    // GIVEN / WHEN / THEN
    expect(() => checkOneOf('here', 'a', ['a', 'b'])).not.toThrow();
    expect(() => checkOneOf('here', 'c', ['a', 'b'])).toThrow(expect.objectContaining({ message: 'here: unknown value "c"; use one of a, b' }));
  });
});

describe('checkRoutes', () => {
  test.each<[string, { dst: string; gw?: string }[], string | undefined]>([
    ['no routes', [], undefined],
    ['a v4 route with v4 gw', [{ dst: '0.0.0.0/0', gw: '10.0.0.1' }], undefined],
    ['a v6 route without gw', [{ dst: '::/0' }], undefined],
    ['a v6 route with a v4 gw', [{ dst: '10.0.0.0/8' }, { dst: '::/0', gw: '10.0.0.1' }], 'here[1].gw: "10.0.0.1" is not of the same IP family as dst "::/0"'],
    ['a bad gw', [{ dst: '0.0.0.0/0', gw: 'x' }], 'here[0].gw: "x" is not an IP address; write one like 10.0.0.1'],
  ])('%s', (_name, routes, message) => {
    // GIVEN / WHEN / THEN
    if (message === undefined) expect(() => checkRoutes('here', routes)).not.toThrow();
    else expect(() => checkRoutes('here', routes)).toThrow(expect.objectContaining({ code: 'CNI_INVALID_CONFIG', message }));
  });
});

describe('parseIp / parseCidr (lib/net with the builders\' code)', () => {
  test('parse what lib/net parses', () => {
    // GIVEN / WHEN / THEN
    expect(parseIp('10.0.0.1', 'here')).toEqual({ family: 4, value: 0x0a000001n });
    expect(parseCidr('10.0.0.5/24', 'here').network).toBe(0x0a000000n);
  });

  test('a bad value is a CNI_INVALID_CONFIG naming the place', () => {
    // GIVEN / WHEN / THEN
    expect(() => parseIp('router', 'here')).toThrow(expect.objectContaining({
      code: 'CNI_INVALID_CONFIG', message: 'here: "router" is not an IP address; write one like 10.0.0.1',
    }));
    expect(() => parseCidr('10.0.0.0', 'here')).toThrow(expect.objectContaining({
      code: 'CNI_INVALID_CONFIG', message: 'here: "10.0.0.0" is not a CIDR; write one like 10.0.0.0/24',
    }));
  });
});
