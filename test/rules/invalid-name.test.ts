import { invalidNameRule as rule } from '../../lib/rules/invalid-name';
import { findingsFor, type Mutate, pathsAndMessages, specOf } from '../util/intent';

const LONGEST = `a${'-b'.repeat(31)}`; // 63 characters

describe('multinic:InvalidName', () => {
  test.each<[string, Mutate, string, string, string]>([
    ['metadata.name has an underscore and capitals', (i) => { i.metadata.name = 'Seed_Lab'; }, 'metadata.name', 'Seed_Lab', 'Rename it, e.g. "seed-lab".'],
    ['a subnet name has a dot', (i) => { specOf(i).subnets[0].name = 'multus.a'; i.spec.nodeGroups[1].interfaces![0].subnet = 'multus.a'; },
      'spec.subnets[0].name', 'multus.a', 'Rename it, e.g. "multus-a".'],
    ['a node group name ends with "-"', (i) => { i.spec.nodeGroups[1].name = 'workers-'; }, 'spec.nodeGroups[1].name', 'workers-', 'Rename it, e.g. "workers".'],
    ['a network name starts with "-"', (i) => { specOf(i).networks[1].name = '-net'; }, 'spec.networks[1].name', '-net', 'Rename it, e.g. "net".'],
    ['a network namespace is in capitals', (i) => { specOf(i).networks[1].namespace = 'DCJEON'; }, 'spec.networks[1].namespace', 'DCJEON', 'Rename it, e.g. "dcjeon".'],
    ['a workload name is 64 characters', (i) => { specOf(i).workloads[0].name = `${LONGEST}c`; },
      'spec.workloads[0].name', `${LONGEST}c`, `Rename it, e.g. "${LONGEST}".`],
    ['a workload namespace has a space', (i) => { specOf(i).workloads[0].namespace = 'team a'; }, 'spec.workloads[0].namespace', 'team a', 'Rename it, e.g. "team-a".'],
    ['a service name has a slash', (i) => { specOf(i).services[0].name = 'dcjeon/svc'; }, 'spec.services[0].name', 'dcjeon/svc', 'Rename it, e.g. "dcjeon-svc".'],
    ['a ConfigMap namespace is only symbols', (i) => { specOf(i).configMaps[0].namespace = '__'; }, 'spec.configMaps[0].namespace', '__', rule.fix],
  ])('fires when %s', (_what, mutate, path, value, fix) => {
    // WHEN the intent is validated
    const found = findingsFor(mutate, rule.id);
    // THEN the name is reported, with a renaming that would pass
    expect(pathsAndMessages(found)).toEqual([{ path, message: `${path}: "${value}" is not a DNS-1123 label` }]);
    expect(found[0].fix).toBe(fix);
  });

  test.each<[string, Mutate]>([
    ['a name is 63 characters', (i) => { specOf(i).workloads[0].name = LONGEST; }],
    ['a name is one character', (i) => { specOf(i).workloads[0].name = 'a'; }],
    ['a name is all digits', (i) => { specOf(i).services[0].name = '8080'; }],
  ])('does not fire when %s', (_what, mutate) => {
    // THEN nothing is reported
    expect(findingsFor(mutate, rule.id)).toEqual([]);
  });
});
