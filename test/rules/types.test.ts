import { finding, formatPath } from '../../lib/rules/types';

describe('formatPath', () => {
  test.each<[Array<string | number>, string]>([
    [['spec', 'networks', 2, 'ipam', 'type'], 'spec.networks[2].ipam.type'],
    [['spec', 'networks', 0, 'ipam', 'ranges', 0, 1, 'subnet'], 'spec.networks[0].ipam.ranges[0][1].subnet'],
    [['metadata', 'name'], 'metadata.name'],
    [['spec'], 'spec'],
    [[], ''],
  ])('renders %j as %s', (path, text) => {
    expect(formatPath(path)).toBe(text);
  });
});

describe('finding', () => {
  const rule = { id: 'multinic:Example', level: 'warning' as const, fix: 'The general fix.' };

  test('starts the message with the path and takes the rule\'s fix by default', () => {
    // WHEN a finding is built without a fix of its own
    const f = finding(rule, ['spec', 'networks', 1, 'master'], 'something is wrong');
    // THEN
    expect(f).toEqual({ id: 'multinic:Example', level: 'warning', path: 'spec.networks[1].master', message: 'spec.networks[1].master: something is wrong', fix: 'The general fix.' });
  });

  test('keeps a specific fix', () => {
    expect(finding(rule, ['spec'], 'x', 'Do this.').fix).toBe('Do this.');
  });
});
