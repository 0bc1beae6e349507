import { defaultRouteOnSecondaryRule as rule } from '../../lib/rules/default-route-on-secondary';
import { findingsFor, hostLocalRange, type Mutate, network, pathsAndMessages, whereabouts } from '../util/intent';

describe('multinic:DefaultRouteOnSecondary', () => {
  test.each<[string, Mutate, string, string]>([
    ['a whereabouts network routes 0.0.0.0/0', (i) => { whereabouts(i).routes = [{ dst: '10.9.0.0/16' }, { dst: '0.0.0.0/0' }]; },
      'spec.networks[1].ipam.routes[1].dst', 'network "dcjeon/whereabouts-eth1-conf" gives its pods a second default route'],
    ['a host-local network routes 0.0.0.0/0 through its gateway', (i) => {
      const ipam = network(i, 0).ipam;
      if (ipam.type === 'host-local') ipam.routes = [{ dst: '0.0.0.0/0', gw: hostLocalRange(i).gateway }];
    }, 'spec.networks[0].ipam.routes[0].dst', 'network "default/ipvlan-conf" gives its pods a second default route'],
  ])('warns when %s', (_what, mutate, path, message) => {
    // WHEN the intent is validated
    const found = findingsFor(mutate, rule.id);
    // THEN the route is reported as a warning
    expect(pathsAndMessages(found)).toEqual([{ path, message: `${path}: ${message}` }]);
    expect(found[0].level).toBe('warning');
  });

  test.each<[string, Mutate]>([
    ['the network uses sbr', (i) => { whereabouts(i).routes = [{ dst: '0.0.0.0/0' }]; network(i, 1).sbr = true; }],
    ['the route is half the address space', (i) => { whereabouts(i).routes = [{ dst: '0.0.0.0/1' }]; }],
    ['the route is a private block', (i) => { whereabouts(i).routes = [{ dst: '10.0.0.0/8' }]; }],
  ])('does not warn when %s', (_what, mutate) => {
    // THEN nothing is reported
    expect(findingsFor(mutate, rule.id)).toEqual([]);
  });
});
