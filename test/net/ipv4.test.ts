import { MultinicError } from '../../lib/errors';
import { Ipv4Address, Ipv4Cidr, Ipv4Range } from '../../lib/net/ipv4';

describe('Ipv4Address', () => {
  test.each([
    ['10.0.0.1', '10.0.0.1'],
    ['192.168.1.216', '192.168.1.216'],
    ['0.0.0.0', '0.0.0.0'],
  ])('parses %s', (text, printed) => {
    expect(Ipv4Address.parse(text).toString()).toBe(printed);
  });

  test.each(['10.0.0.256', '10.0.0', 'ten.0.0.1', '10.0.0.1/24', '', '1.2.3.4.5'])('rejects %j with a reason', (text) => {
    // WHEN
    const r = Ipv4Address.tryParse(text);
    // THEN
    expect(r).toBe(`"${text}" is not an IPv4 address (expected four numbers 0-255 separated by dots, e.g. 10.0.0.1)`);
    expect(() => Ipv4Address.parse(text)).toThrow(MultinicError);
  });

  test('compares numerically, not as text', () => {
    // GIVEN dotted strings that sort the other way round as text
    const a = Ipv4Address.parse('10.0.2.0');
    const b = Ipv4Address.parse('10.0.20.0');
    // THEN
    expect(a.compare(b)).toBe(-1);
    expect(b.compare(a)).toBe(1);
    expect(a.plus(256).toString()).toBe('10.0.3.0');
  });
});

describe('Ipv4Cidr', () => {
  test('knows its bounds', () => {
    // GIVEN
    const c = Ipv4Cidr.parse('10.4.128.0/24');
    // THEN
    expect(c.network.toString()).toBe('10.4.128.0');
    expect(c.last.toString()).toBe('10.4.128.255');
    expect(c.firstHost.toString()).toBe('10.4.128.1');
    expect(c.lastHost.toString()).toBe('10.4.128.254');
    expect(c.size).toBe(256n);
  });

  test('rejects host bits and names the network', () => {
    expect(Ipv4Cidr.tryParse('10.0.2.1/23')).toBe('"10.0.2.1/23" has host bits set; the network is 10.0.2.0/23');
  });

  test.each([
    ['10.0.0.0', '"10.0.0.0" is not a CIDR (expected address/prefix-length, e.g. 10.0.0.0/16)'],
    ['10.0.0.0/33', '"10.0.0.0/33" is not a CIDR: prefix length 33 is above 32'],
    ['10.0.0.300/24', '"10.0.0.300/24" is not a CIDR: "10.0.0.300" is not an IPv4 address (expected four numbers 0-255 separated by dots, e.g. 10.0.0.1)'],
  ])('rejects %s', (text, reason) => {
    expect(Ipv4Cidr.tryParse(text)).toBe(reason);
    expect(() => Ipv4Cidr.parse(text)).toThrow(reason);
  });

  test('10.0.2.0/23 and 10.0.20.0/24 do not overlap (aws-cdk regression)', () => {
    const a = Ipv4Cidr.parse('10.0.2.0/23');
    const b = Ipv4Cidr.parse('10.0.20.0/24');
    expect(a.overlaps(b)).toBe(false);
    expect(a.overlaps(Ipv4Cidr.parse('10.0.3.0/24'))).toBe(true);
  });

  test('containment of addresses and blocks', () => {
    const vpc = Ipv4Cidr.parse('10.0.0.0/16');
    expect(vpc.containsCidr(Ipv4Cidr.parse('10.0.128.0/24'))).toBe(true);
    expect(vpc.containsCidr(Ipv4Cidr.parse('10.1.0.0/24'))).toBe(false);
    expect(vpc.contains(Ipv4Address.parse('10.0.255.255'))).toBe(true);
    expect(vpc.contains(Ipv4Address.parse('10.1.0.0'))).toBe(false);
  });
});

describe('Ipv4Range', () => {
  test('size, containment and overlap are inclusive', () => {
    const r = new Ipv4Range(Ipv4Address.parse('192.168.1.200'), Ipv4Address.parse('192.168.1.216'));
    expect(r.size).toBe(17n);
    expect(r.contains(Ipv4Address.parse('192.168.1.216'))).toBe(true);
    expect(r.contains(Ipv4Address.parse('192.168.1.217'))).toBe(false);
    expect(r.overlaps(new Ipv4Range(Ipv4Address.parse('192.168.1.216'), Ipv4Address.parse('192.168.1.220')))).toBe(true);
    expect(new Ipv4Range(Ipv4Address.parse('10.0.0.9'), Ipv4Address.parse('10.0.0.1')).size).toBe(0n);
  });
});
