import { serviceNetworkNotFoundRule, serviceNetworkNotProxiedRule } from '../../lib/rules/service-network';
import { findingsFor, pathsAndMessages, specOf } from '../util/intent';

const PATH = 'spec.services[0].network';
const serviceNetwork = (network: string) => (i: Parameters<Parameters<typeof findingsFor>[0]>[0]) => { specOf(i).services[0].network = network; };

describe('multinic:ServiceNetworkNotFound', () => {
  const rule = serviceNetworkNotFoundRule;

  test.each([
    ['a network of another namespace, unqualified', 'ipvlan-conf', 'network "dcjeon/ipvlan-conf" is not defined', rule.fix],
    ['a qualified network that does not exist', 'default/whereabouts-eth1-conf', 'network "default/whereabouts-eth1-conf" is not defined', rule.fix],
    ['an @ifname', 'whereabouts-eth1-conf@net1', '"whereabouts-eth1-conf@net1": a service network takes no @ifname', 'Remove the @ifname part.'],
    ['a malformed attachment', 'a/b/c', '"a/b/c" is not an attachment; write [namespace/]name[@ifname], e.g. dcjeon/whereabouts-eth1-conf@net1', rule.fix],
  ])('fires for %s', (_what, network, message, fix) => {
    // WHEN the dcjeon Service names that network
    const found = findingsFor(serviceNetwork(network), rule.id);
    // THEN it is reported with where the name resolved
    expect(found.map((f) => [f.path, f.message, f.fix, f.level])).toEqual([[PATH, `${PATH}: ${message}`, fix, 'error']]);
  });

  test.each([
    ['an unqualified network of the Service namespace', 'whereabouts-eth1-conf'],
    ['a qualified network of another namespace', 'default/ipvlan-conf'],
  ])('does not fire for %s', (_what, network) => {
    // THEN nothing is reported
    expect(findingsFor(serviceNetwork(network), rule.id)).toEqual([]);
  });

  test('does not fire for a Service on the cluster network', () => {
    // GIVEN the base intent, whose Service names no network
    expect(findingsFor(() => undefined, rule.id)).toEqual([]);
  });
});

describe('multinic:ServiceNetworkNotProxied', () => {
  const rule = serviceNetworkNotProxiedRule;

  test('warns that a Service meant for a secondary network is served on the cluster network', () => {
    // WHEN the Service names a secondary network (the Red Hat demo)
    const found = findingsFor(serviceNetwork('whereabouts-eth1-conf'), rule.id);
    // THEN it is a warning naming the Service and the network as written
    expect(pathsAndMessages(found)).toEqual([{
      path: PATH,
      message: `${PATH}: Service "dcjeon/ubuntu-svc" will be served on the cluster network: nothing proxies k8s.v1.cni.cncf.io/service-network "whereabouts-eth1-conf"`,
    }]);
    expect(found[0].level).toBe('warning');
  });

  test('does not warn for a Service without a network', () => {
    expect(findingsFor(() => undefined, rule.id)).toEqual([]);
  });
});
