import type { NetworkIntentInput } from '../../lib/intent/types';
import { networkNotFoundRule as rule } from '../../lib/rules/network-not-found';
import { findingsFor, pathsAndMessages, specOf } from '../util/intent';

/** The seed's failure: whereabouts-eth1-conf-default lives in `default`, the pod in `dcjeon`. */
const seed = (attachment: string) => (i: NetworkIntentInput) => {
  specOf(i).networks[0].name = 'whereabouts-eth1-conf-default';
  specOf(i).workloads[0].networks = ['whereabouts-eth1-conf-default'];
  specOf(i).workloads[1].networks = [attachment];
};
const attach = (attachment: string) => (i: NetworkIntentInput) => { specOf(i).workloads[1].networks = [attachment]; };
const PATH = 'spec.workloads[1].networks[0]';

describe('multinic:NetworkNotFound', () => {
  test('fires for the seed\'s unqualified name from another namespace, and suggests namespace/name', () => {
    // GIVEN a Deployment in dcjeon attaching whereabouts-eth1-conf-default, defined in default
    // WHEN the intent is validated
    const found = findingsFor(seed('whereabouts-eth1-conf-default'), rule.id);
    // THEN the attachment is reported in namespace/name form, saying where the name resolved and where it exists
    expect(pathsAndMessages(found)).toEqual([{
      path: PATH,
      message: `${PATH}: network "dcjeon/whereabouts-eth1-conf-default" is not defined (an unqualified name resolves to the workload's namespace "dcjeon"); it exists as "default/whereabouts-eth1-conf-default"`,
    }]);
    // AND the fix is the qualified name
    expect(found[0].fix).toBe('Write "default/whereabouts-eth1-conf-default" to attach it across namespaces, or define "whereabouts-eth1-conf-default" in namespace "dcjeon".');
  });

  test.each<[string, string, string, string]>([
    ['a qualified name in the wrong namespace', 'default/whereabouts-eth1-conf',
      'network "default/whereabouts-eth1-conf" is not defined; it exists as "dcjeon/whereabouts-eth1-conf"',
      'Write "dcjeon/whereabouts-eth1-conf" to attach it across namespaces, or define "whereabouts-eth1-conf" in namespace "default".'],
    ['a name defined nowhere', 'storage-net',
      'network "dcjeon/storage-net" is not defined (an unqualified name resolves to the workload\'s namespace "dcjeon")',
      'Add a network named "storage-net" with namespace "dcjeon" to spec.networks.'],
    ['a name defined nowhere, with @ifname', 'storage-net@net9',
      'network "dcjeon/storage-net" is not defined (an unqualified name resolves to the workload\'s namespace "dcjeon")',
      'Add a network named "storage-net" with namespace "dcjeon" to spec.networks.'],
    ['an attachment with two slashes', 'dcjeon/whereabouts-eth1-conf/net1',
      '"dcjeon/whereabouts-eth1-conf/net1" is not an attachment; write [namespace/]name[@ifname], e.g. dcjeon/whereabouts-eth1-conf@net1',
      'Write [namespace/]name[@ifname].'],
    ['an empty attachment', '',
      '"" is not an attachment; write [namespace/]name[@ifname], e.g. dcjeon/whereabouts-eth1-conf@net1', 'Write [namespace/]name[@ifname].'],
    ['a namespace in capitals', 'DCJEON/whereabouts-eth1-conf',
      '"DCJEON/whereabouts-eth1-conf": namespace "DCJEON" is not a DNS-1123 label', 'Write [namespace/]name[@ifname].'],
  ])('fires for %s', (_what, attachment, message, fix) => {
    // WHEN the intent is validated
    const found = findingsFor(attach(attachment), rule.id);
    // THEN the attachment is reported with where it resolved and how to fix it
    expect(found.map((f) => [f.path, f.message, f.fix])).toEqual([[PATH, `${PATH}: ${message}`, fix]]);
  });

  test.each<[string, (i: NetworkIntentInput) => void]>([
    ['the seed\'s network attached as namespace/name', seed('default/whereabouts-eth1-conf-default')],
    ['an unqualified name in the workload\'s namespace', attach('whereabouts-eth1-conf')],
    ['the workload\'s own namespace written out, with @ifname', attach('dcjeon/whereabouts-eth1-conf@multus-data')],
  ])('does not fire for %s', (_what, mutate) => {
    // THEN nothing is reported
    expect(findingsFor(mutate, rule.id)).toEqual([]);
  });
});
