import { parseNetworkStatus } from '../../lib/verify/network-status';

describe('parseNetworkStatus', () => {
  test('reads Multus\' entries, cluster network first', () => {
    const text = JSON.stringify([
      { name: 'k8s-pod-network', ips: ['172.16.1.5'], default: true, dns: {} },
      { name: 'dcjeon/whereabouts-eth1-conf', interface: 'net1', ips: ['10.4.128.4'], mac: '0a:1b:2c:3d:4e:5f', dns: {} },
    ]);
    expect(parseNetworkStatus(text)).toEqual([
      { name: 'k8s-pod-network', interface: undefined, ips: ['172.16.1.5'], mac: undefined, default: true },
      { name: 'dcjeon/whereabouts-eth1-conf', interface: 'net1', ips: ['10.4.128.4'], mac: '0a:1b:2c:3d:4e:5f', default: false },
    ]);
  });

  test('tolerates missing and mistyped fields', () => {
    expect(parseNetworkStatus('[{"interface":"net1","ips":["10.0.0.1",5]}, 7]')).toEqual([
      { name: '', interface: 'net1', ips: ['10.0.0.1'], mac: undefined, default: false },
    ]);
  });

  test.each([
    [undefined, 'no k8s.v1.cni.cncf.io/network-status annotation'],
    ['{', 'k8s.v1.cni.cncf.io/network-status is not JSON'],
    ['{"name":"x"}', 'k8s.v1.cni.cncf.io/network-status is not a JSON list'],
  ])('%j: %s', (text, why) => {
    expect(parseNetworkStatus(text)).toBe(why);
  });
});
