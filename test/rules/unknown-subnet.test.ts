import { unknownSubnetRule as rule } from '../../lib/rules/unknown-subnet';
import { findingsFor, pathsAndMessages, specOf } from '../util/intent';

const PATH = 'spec.nodeGroups[1].interfaces[0].subnet';
const useSubnet = (name: string) => (i: Parameters<Parameters<typeof findingsFor>[0]>[0]) => { i.spec.nodeGroups[1].interfaces![0].subnet = name; };

describe('multinic:UnknownSubnet', () => {
  test('fires for a typo, suggesting the defined subnet', () => {
    // WHEN the interface names multus-b; only multus-a is defined
    const found = findingsFor(useSubnet('multus-b'), rule.id);
    // THEN it is reported with a did-you-mean and the defined names
    expect(pathsAndMessages(found)).toEqual([{ path: PATH, message: `${PATH}: subnet "multus-b" is not defined; did you mean "multus-a"? Defined: multus-a` }]);
    expect(found[0].fix).toBe('Change it to "multus-a".');
  });

  test('fires for a name nothing resembles, listing the defined subnets', () => {
    const found = findingsFor(useSubnet('storage'), rule.id);
    expect(found.map((f) => f.path)).toEqual([PATH]);
    expect(found[0].message).toMatch(/^spec\.nodeGroups\[1\]\.interfaces\[0\]\.subnet: subnet "storage" is not defined\W+Defined: multus-a$/);
    expect(found[0].fix).toBe(rule.fix);
  });

  test('says so when no subnet is defined at all', () => {
    const found = findingsFor((i) => { specOf(i).subnets = []; }, rule.id);
    expect(found[0].message).toMatch(/Defined: \(none\)$/);
  });

  // Without a did-you-mean the message still reads as two sentences.
  test('separates the sentences when there is no did-you-mean', () => {
    expect(findingsFor(useSubnet('storage'), rule.id)[0].message).toBe(`${PATH}: subnet "storage" is not defined. Defined: multus-a`);
  });

  test('does not fire for a defined subnet', () => {
    expect(findingsFor(() => undefined, rule.id)).toEqual([]);
  });
});
