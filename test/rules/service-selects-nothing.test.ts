import { serviceSelectsNothingRule as rule } from '../../lib/rules/service-selects-nothing';
import { findingsFor, type Mutate, pathsAndMessages, specOf } from '../util/intent';

const PATH = 'spec.services[0].selector';

describe('multinic:ServiceSelectsNothing', () => {
  test.each<[string, Mutate, string]>([
    ['a typo in the label value', (i) => { specOf(i).services[0].selector = { app: 'ubunt' }; }, 'selector app=ubunt matches no workload in namespace "dcjeon"'],
    ['the matching workload is in another namespace', (i) => { specOf(i).services[0].namespace = 'default'; }, 'selector app=ubuntu matches no workload in namespace "default"'],
    ['one of two labels matches nothing', (i) => { specOf(i).services[0].selector = { app: 'ubuntu', tier: 'web' }; }, 'selector app=ubuntu,tier=web matches no workload in namespace "dcjeon"'],
  ])('warns when %s', (_what, mutate, message) => {
    // WHEN the intent is validated
    const found = findingsFor(mutate, rule.id);
    // THEN the selector is reported as a warning
    expect(pathsAndMessages(found)).toEqual([{ path: PATH, message: `${PATH}: ${message}` }]);
    expect(found[0].level).toBe('warning');
  });

  test.each<[string, Mutate]>([
    ['the selector matches the Deployment', () => undefined],
    ['the selector is a subset of the workload labels', (i) => { specOf(i).workloads[1].labels = { app: 'ubuntu', tier: 'web' }; }],
  ])('does not warn when %s', (_what, mutate) => {
    // THEN nothing is reported
    expect(findingsFor(mutate, rule.id)).toEqual([]);
  });
});
