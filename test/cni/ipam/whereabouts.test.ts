import { whereabouts, whereaboutsGateway, type WhereaboutsIpamProps } from '../../../lib/cni';

describe('whereabouts', () => {
  test('keeps every field under its model (camelCase) name', () => {
    // GIVEN
    const props: WhereaboutsIpamProps = {
      range: '10.4.128.0/24', rangeStart: '10.4.128.10', rangeEnd: '10.4.128.99', exclude: ['10.4.128.0/30'],
      gateway: '10.4.128.1', routes: [{ dst: '10.9.0.0/16' }], networkName: 'blue',
    };
    // WHEN / THEN
    expect(whereabouts(props)).toStrictEqual({ type: 'whereabouts', ...props });
  });

  test('accepts a range with host bits (Whereabouts starts there)', () => {
    // GIVEN / WHEN / THEN
    expect(whereabouts({ range: '192.168.2.225/28' })).toStrictEqual({ type: 'whereabouts', range: '192.168.2.225/28' });
  });

  test.each<[string, WhereaboutsIpamProps, string]>([
    ['a range that is not a CIDR', { range: '10.4.128.0' }, 'whereabouts.range: "10.4.128.0" is not a CIDR; write one like 10.0.0.0/24'],
    ['range_start outside the range', { range: '10.4.128.0/24', rangeStart: '10.4.129.1' }, 'whereabouts.range_start: 10.4.129.1 is not inside range 10.4.128.0/24; pick an address of the range'],
    ['range_end outside the range', { range: '10.4.128.0/24', rangeEnd: '10.5.0.0' }, 'whereabouts.range_end: 10.5.0.0 is not inside range 10.4.128.0/24; pick an address of the range'],
    ['a gateway outside the range', { range: '10.4.128.0/24', gateway: '10.4.0.1' }, 'whereabouts.gateway: 10.4.0.1 is not inside range 10.4.128.0/24; pick an address of the range'],
    ['range_start after range_end', { range: '10.4.128.0/24', rangeStart: '10.4.128.50', rangeEnd: '10.4.128.9' },
      'whereabouts: range_start 10.4.128.50 is after range_end 10.4.128.9; swap them'],
    ['an exclude that is not a CIDR', { range: '10.4.128.0/24', exclude: ['10.4.128.1'] }, 'whereabouts.exclude[0]: "10.4.128.1" is not a CIDR; write one like 10.0.0.0/24'],
    ['an exclude of the other family', { range: '10.4.128.0/24', exclude: ['fd00::/120'] }, 'whereabouts.exclude[0]: "fd00::/120" is not of the same IP family as range "10.4.128.0/24"'],
    ['an empty network_name', { range: '10.4.128.0/24', networkName: '' }, 'whereabouts.network_name: must not be empty; leave it out for one pool per range'],
  ])('refuses %s', (_name, props, message) => {
    // GIVEN / WHEN / THEN
    expect(() => whereabouts(props)).toThrow(expect.objectContaining({ name: 'MultinicError', code: 'CNI_INVALID_CONFIG', message }));
  });
});

describe('whereaboutsGateway', () => {
  test.each<[string, WhereaboutsIpamProps, 4 | 6, string | undefined]>([
    ['the gateway when set', { range: '10.2.130.0/24', gateway: '10.2.130.254' }, 4, '10.2.130.254'],
    ['else the first host of the range', { range: '10.2.130.0/24' }, 4, '10.2.130.1'],
    ['the first host of the network even when range has host bits', { range: '192.168.2.230/28' }, 4, '192.168.2.225'],
    ['IPv6', { range: 'fd00:2::/64' }, 6, 'fd00:2::1'],
    ['none for the other family', { range: '10.2.130.0/24' }, 6, undefined],
  ])('%s', (_name, props, family, expected) => {
    // GIVEN / WHEN / THEN
    expect(whereaboutsGateway(whereabouts(props), family)).toBe(expected);
  });
});
