import { podInterfaceNameRule as rule } from '../../lib/rules/pod-interface-name';
import { findingsFor, specOf } from '../util/intent';

/** Gives the dcjeon Deployment these attachments (its namespace defines whereabouts-eth1-conf). */
const attach = (...networks: string[]) => (i: Parameters<Parameters<typeof findingsFor>[0]>[0]) => { specOf(i).workloads[1].networks = networks; };
const NET = 'whereabouts-eth1-conf';

describe('multinic:PodInterfaceName', () => {
  test.each<[string, string[], string, string, string]>([
    ['eth0, the cluster network\'s interface', [`${NET}@eth0`], 'networks[0]', 'interface name "eth0" is reserved for the cluster network', `Name it explicitly, e.g. "${NET}@net2".`],
    ['lo', [`${NET}@lo`], 'networks[0]', 'interface name "lo" is reserved for the cluster network', `Name it explicitly, e.g. "${NET}@net2".`],
    ['an explicit name Multus gives the next attachment', [`${NET}@net2`, NET], 'networks[1]', 'interface name "net2" is already used by networks[0] of this workload', `Name it explicitly, e.g. "${NET}@net3".`],
    ['an explicit name Multus gave the previous attachment', [NET, `${NET}@net1`], 'networks[1]', 'interface name "net1" is already used by networks[0] of this workload', `Name it explicitly, e.g. "${NET}@net3".`],
    ['one name twice', [`${NET}@data`, `${NET}@data`], 'networks[1]', 'interface name "data" is already used by networks[0] of this workload', `Name it explicitly, e.g. "${NET}@net3".`],
    ['16 characters', [`${NET}@secondary-net-01`], 'networks[0]', 'interface name "secondary-net-01" is not valid (at most 15 letters, digits, ".", "-", "_")', rule.fix],
    ['a colon', [`${NET}@net:1`], 'networks[0]', 'interface name "net:1" is not valid (at most 15 letters, digits, ".", "-", "_")', rule.fix],
  ])('fires for %s', (_what, networks, at, message, fix) => {
    // WHEN the intent is validated
    const found = findingsFor(attach(...networks), rule.id);
    // THEN the attachment is reported with the name and, for clashes, a free one
    const path = `spec.workloads[1].${at}`;
    expect(found.map((f) => [f.path, f.message, f.fix])).toEqual([[path, `${path}: ${message}`, fix]]);
  });

  test.each<[string, string[]]>([
    ['two attachments of one network, named by Multus', [NET, NET]],
    ['a 15-character name', [`${NET}@secondary-net-1`]],
    ['explicit names that do not clash with the defaults', [`${NET}@net3`, NET]],
    ['eth1 (only eth0 and lo are taken)', [`${NET}@eth1`]],
    ['a malformed attachment (NetworkNotFound reports it)', ['a/b/c@eth0']],
  ])('does not fire for %s', (_what, networks) => {
    // THEN nothing is reported
    expect(findingsFor(attach(...networks), rule.id)).toEqual([]);
  });
});
