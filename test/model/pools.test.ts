import { poolsOf } from '../../lib/model/pools';
import type { Network } from '../../lib/intent/types';

const net = (ipam: Network['ipam']): Network => ({ name: 'n', namespace: 'default', type: 'ipvlan', master: 'multus0', mode: 'l2', cniVersion: '1.0.0', sbr: false, ipam } as Network);
const show = (n: Network) => poolsOf(n, 3).map((p) => ({ subnet: p.subnet.toString(), range: p.range.toString(), gateway: p.gateway?.toString(), excludes: p.excludes.map((e) => e.cidr.toString()), path: p.path.join('.') }));

describe('poolsOf', () => {
  test('host-local defaults as the plugin applies them: first host to last host, gateway .1', () => {
    expect(show(net({ type: 'host-local', ranges: [[{ subnet: '192.168.1.0/24' }]] }))).toEqual([
      { subnet: '192.168.1.0/24', range: '192.168.1.1-192.168.1.254', gateway: '192.168.1.1', excludes: [], path: 'spec.networks.3.ipam.ranges.0.0' },
    ]);
  });

  test('host-local explicit bounds are kept', () => {
    expect(show(net({ type: 'host-local', ranges: [[{ subnet: '192.168.1.0/24', rangeStart: '192.168.1.200', rangeEnd: '192.168.1.216', gateway: '192.168.1.1' }]] }))[0].range)
      .toBe('192.168.1.200-192.168.1.216');
  });

  test('whereabouts: the range without network and broadcast, with its excludes', () => {
    expect(show(net({ type: 'whereabouts', range: '10.4.128.0/24', exclude: ['10.4.128.0/30'] }))).toEqual([
      { subnet: '10.4.128.0/24', range: '10.4.128.1-10.4.128.254', gateway: undefined, excludes: ['10.4.128.0/30'], path: 'spec.networks.3.ipam' },
    ]);
  });

  test('static: one address each, in the block its prefix length gives', () => {
    expect(show(net({ type: 'static', addresses: [{ address: '10.10.0.5/24', gateway: '10.10.0.1' }] }))).toEqual([
      { subnet: '10.10.0.0/24', range: '10.10.0.5-10.10.0.5', gateway: '10.10.0.1', excludes: [], path: 'spec.networks.3.ipam.addresses.0' },
    ]);
  });

  test('fields that do not parse yield no pool (InvalidAddress reports them), dhcp has none', () => {
    expect(show(net({ type: 'whereabouts', range: '10.4.128.1/24' }))).toEqual([]);
    expect(show(net({ type: 'dhcp' }))).toEqual([]);
  });
});
