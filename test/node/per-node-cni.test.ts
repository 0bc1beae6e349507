import { prefixRoutes, type PrefixNetwork } from '../../lib/node/per-node-cni';
import { intentWith } from '../infra/util';

describe('prefixRoutes', () => {
  const routable = intentWith().spec.networks.find((n) => n.name === 'routable-net') as PrefixNetwork;

  test('routes only the given secondary subnets via the subnet router, never the ENI\'s own (on-link)', () => {
    expect(prefixRoutes(routable, '10.0.128.0/24', ['10.0.128.0/24', '10.0.130.0/24'])).toEqual([{ dst: '10.0.130.0/24', gw: '10.0.128.1' }]);
  });

  test('the default intent\'s eni-prefix network gets no route that covers a node subnet (kubelet probes stay on eth0)', () => {
    const intent = intentWith();
    const routes = prefixRoutes(routable, '10.0.128.0/24', intent.spec.subnets.map((s) => s.cidr));
    expect(routes).toEqual([]);
  });

  test('the intent\'s own routes win, their gateway defaulting to the subnet router', () => {
    const withRoutes = { ...routable, ipam: { type: 'eni-prefix', prefixes: 1, routes: [{ dst: '10.9.0.0/16' }] } } as PrefixNetwork;
    expect(prefixRoutes(withRoutes, '10.0.128.0/24', ['10.0.0.0/16'])).toEqual([{ dst: '10.9.0.0/16', gw: '10.0.128.1' }]);
  });
});
