import { configMapNotFoundRule as rule } from '../../lib/rules/config-map-not-found';
import { findingsFor, type Mutate, pathsAndMessages, specOf } from '../util/intent';

const PATH = 'spec.workloads[1].container.mounts[0].configMap';

describe('multinic:ConfigMapNotFound', () => {
  test.each<[string, Mutate, string]>([
    ['the mount names a ConfigMap nobody defines', (i) => { specOf(i).workloads[1].container.mounts = [{ configMap: 'ubuntu-htm', path: '/html' }]; },
      `${PATH}: ConfigMap "dcjeon/ubuntu-htm" is not defined`],
    ['the ConfigMap is defined in another namespace', (i) => { specOf(i).configMaps[0].namespace = 'default'; },
      `${PATH}: ConfigMap "dcjeon/ubuntu-html" is not defined`],
  ])('fires when %s', (_what, mutate, message) => {
    // WHEN the intent is validated
    const found = findingsFor(mutate, rule.id);
    // THEN the mount is reported with the namespace/name it looked for
    expect(pathsAndMessages(found)).toEqual([{ path: PATH, message }]);
    expect(found[0].level).toBe('error');
  });

  test('does not fire when the ConfigMap is defined in the workload namespace', () => {
    // GIVEN the base intent, whose Deployment mounts dcjeon/ubuntu-html
    // THEN nothing is reported
    expect(findingsFor(() => undefined, rule.id)).toEqual([]);
  });
});
