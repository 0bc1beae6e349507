import { cidrsOf, mergeRanges, rangeToCidrs, subtractRanges } from '../../lib/net/cidr-set';
import { Ipv4Address, Ipv4Cidr, Ipv4Range } from '../../lib/net/ipv4';

const range = (a: string, b: string) => new Ipv4Range(Ipv4Address.parse(a), Ipv4Address.parse(b));
const cidr = (c: string) => Ipv4Cidr.parse(c).range;

describe('rangeToCidrs', () => {
  test.each([
    ['192.168.1.200', '192.168.1.216', ['192.168.1.200/29', '192.168.1.208/29', '192.168.1.216/32']],
    ['10.0.0.0', '10.0.0.255', ['10.0.0.0/24']],
    ['0.0.0.0', '255.255.255.255', ['0.0.0.0/0']],
    ['10.0.0.1', '10.0.0.1', ['10.0.0.1/32']],
  ])('GIVEN %s-%s THEN the fewest exact blocks', (a, b, want) => {
    expect(rangeToCidrs(range(a, b)).map(String)).toEqual(want);
  });
});

describe('subtractRanges / mergeRanges', () => {
  test('GIVEN a /24 minus its first /30 THEN the rest, exactly', () => {
    expect(cidrsOf([cidr('10.4.128.0/24')], [cidr('10.4.128.0/30')]).map(String))
      .toEqual(['10.4.128.4/30', '10.4.128.8/29', '10.4.128.16/28', '10.4.128.32/27', '10.4.128.64/26', '10.4.128.128/25']);
  });
  test('GIVEN a hole in the middle THEN two pieces', () => {
    expect(subtractRanges([cidr('10.0.0.0/24')], [range('10.0.0.10', '10.0.0.20')]).map(String))
      .toEqual(['10.0.0.0-10.0.0.9', '10.0.0.21-10.0.0.255']);
  });
  test('GIVEN adjacent and overlapping ranges THEN one', () => {
    expect(mergeRanges([range('10.0.0.128', '10.0.0.255'), range('10.0.0.0', '10.0.0.127'), range('10.0.0.5', '10.0.0.6')]).map(String))
      .toEqual(['10.0.0.0-10.0.0.255']);
  });
  test('GIVEN everything subtracted THEN nothing', () => {
    expect(cidrsOf([cidr('10.0.0.0/30')], [cidr('10.0.0.0/24')])).toEqual([]);
  });
});
