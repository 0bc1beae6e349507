import type { NetworkIntentInput } from '../../lib/intent/types';
import { overlappingSubnetsRule as rule } from '../../lib/rules/overlapping-subnets';
import { findingsFor, pathsAndMessages, specOf } from '../util/intent';

const second = (cidr: string) => (i: NetworkIntentInput) => { specOf(i).subnets.push({ name: 'multus-b', cidr, zone: 'b' }); };

describe('multinic:OverlappingSubnets', () => {
  test.each([
    ['10.0.128.128/25', 'a block inside the first'],
    ['10.0.128.0/24', 'the same block'],
    ['10.0.128.0/23', 'a block containing the first'],
  ])('fires for %s (%s)', (cidr) => {
    // WHEN a second subnet overlaps multus-a (10.0.128.0/24)
    const found = findingsFor(second(cidr), rule.id);
    // THEN the second is reported, naming the first
    expect(pathsAndMessages(found)).toEqual([{
      path: 'spec.subnets[1].cidr',
      message: `spec.subnets[1].cidr: ${cidr} overlaps 10.0.128.0/24 of spec.subnets[0] ("multus-a")`,
    }]);
    expect(found[0].fix).toBe(rule.fix);
  });

  test.each(['10.0.129.0/24', '10.0.127.0/24', '10.0.200.0/24'])('does not fire for %s next to or away from 10.0.128.0/24', (cidr) => {
    // THEN nothing is reported (10.0.127.0/24 is reported by SubnetOutsideVpc, not here)
    expect(findingsFor(second(cidr), rule.id)).toEqual([]);
  });
});
