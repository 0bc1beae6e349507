import { unknownZoneRule as rule } from '../../lib/rules/unknown-zone';
import { findingsFor, pathsAndMessages, specOf } from '../util/intent';

describe('multinic:UnknownZone', () => {
  test('fires for a zone the VPC does not list', () => {
    // WHEN subnet multus-a is placed in zone c; the VPC spans a and b
    const found = findingsFor((i) => { specOf(i).subnets[0].zone = 'c'; }, rule.id);
    // THEN the zone is reported with the VPC's zones
    expect(pathsAndMessages(found)).toEqual([{ path: 'spec.subnets[0].zone', message: 'spec.subnets[0].zone: zone "c" is not one of spec.vpc.zones (a, b)' }]);
    expect(found[0].fix).toBe(rule.fix);
  });

  test.each(['a', 'b'])('does not fire for zone %s', (zone) => {
    expect(findingsFor((i) => { specOf(i).subnets[0].zone = zone; }, rule.id)).toEqual([]);
  });
});
