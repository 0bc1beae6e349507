import { cidrContains, firstHost, formatIp, parseCidr, parseIp, tryParseIp } from '../../lib/net/ip';

describe('parseIp', () => {
  test.each<[string, 4 | 6, string]>([
    ['10.0.0.1', 4, '10.0.0.1'],
    ['fd00:0:0::1', 6, 'fd00::1'],
  ])('%s is IPv%s, printed canonically as %s', (text, family, canonical) => {
    // GIVEN / WHEN
    const ip = parseIp(text, 'here');
    // THEN
    expect(ip.family).toBe(family);
    expect(formatIp(ip)).toBe(canonical);
  });

  test.each(['10.0.0.256', '10.0.0', '10.0.0.1/24', 'host', ''])('refuses %j', (text) => {
    // GIVEN / WHEN / THEN
    expect(() => parseIp(text, 'here')).toThrow(expect.objectContaining({
      code: 'INVALID_IP', message: `here: "${text}" is not an IP address; write one like 10.0.0.1`,
    }));
    expect(tryParseIp(text)).toBeUndefined();
  });

  test('throws the code the caller names', () => {
    // GIVEN / WHEN / THEN
    expect(() => parseIp('x', 'here', 'CNI_INVALID_CONFIG')).toThrow(expect.objectContaining({ code: 'CNI_INVALID_CONFIG' }));
  });
});

describe('parseCidr', () => {
  test.each<[string, string, string, number]>([
    ['10.0.2.0/23', '10.0.2.0', '10.0.3.255', 23],
    ['10.0.0.5/24', '10.0.0.0', '10.0.0.255', 24],
    ['10.0.0.5/32', '10.0.0.5', '10.0.0.5', 32],
    ['0.0.0.0/0', '0.0.0.0', '255.255.255.255', 0],
    ['fd00::/126', 'fd00::', 'fd00::3', 126],
  ])('%s spans %s to %s', (text, network, last, prefix) => {
    // GIVEN / WHEN
    const c = parseCidr(text, 'here');
    // THEN
    expect([formatIp({ family: c.family, value: c.network }), formatIp({ family: c.family, value: c.last }), c.prefix]).toEqual([network, last, prefix]);
  });

  test.each(['10.0.0.0', '10.0.0.0/33', '10.0.0.0/-1', '10.0.0.0/24/1', '10.0.0.0/', '/24', 'fd00::/129', '10.0.0.0/2x'])('refuses %j', (text) => {
    // GIVEN / WHEN / THEN
    expect(() => parseCidr(text, 'here')).toThrow(expect.objectContaining({
      code: 'INVALID_CIDR', message: `here: "${text}" is not a CIDR; write one like 10.0.0.0/24`,
    }));
    expect(() => parseCidr(text, 'here', 'CNI_INVALID_CONFIG')).toThrow(expect.objectContaining({ code: 'CNI_INVALID_CONFIG' }));
  });
});

describe('firstHost / cidrContains', () => {
  test('the first host is network + 1', () => {
    // GIVEN / WHEN / THEN
    expect(formatIp(firstHost(parseCidr('10.4.128.0/24', 'x')))).toBe('10.4.128.1');
  });

  test.each<[string, string, boolean]>([
    ['10.0.2.0/23', '10.0.3.7', true],
    // compared as numbers, not text: 10.0.20.x is not in 10.0.2.0/23
    ['10.0.2.0/23', '10.0.20.1', false],
    ['10.0.0.0/24', '10.0.1.0', false],
    ['10.0.0.0/8', 'fd00::1', false],
  ])('%s contains %s: %s', (cidr, ip, expected) => {
    // GIVEN / WHEN / THEN
    expect(cidrContains(parseCidr(cidr, 'x'), parseIp(ip, 'x'))).toBe(expected);
  });
});
