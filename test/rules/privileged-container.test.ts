import { privilegedContainerRule as rule } from '../../lib/rules/privileged-container';
import { findingsFor, pathsAndMessages, specOf } from '../util/intent';

describe('multinic:PrivilegedContainer', () => {
  test('warns for the seed\'s privileged demo pod', () => {
    // GIVEN the Pod's container privileged
    // WHEN the intent is validated
    const found = findingsFor((i) => { specOf(i).workloads[0].container.privileged = true; }, rule.id);
    // THEN it is a warning naming the workload
    expect(pathsAndMessages(found)).toEqual([{
      path: 'spec.workloads[0].container.privileged',
      message: 'spec.workloads[0].container.privileged: "default/multus-sample-pod" runs privileged',
    }]);
    expect(found[0].level).toBe('warning');
  });

  test('does not warn for privileged: false', () => {
    // THEN nothing is reported
    expect(findingsFor((i) => { specOf(i).workloads[0].container.privileged = false; }, rule.id)).toEqual([]);
  });
});
