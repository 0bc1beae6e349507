/** lib/findings.ts: the ground floor every check builds on (the finding, its path, the rule shape). */
import { finding, formatPath, parsePath, type RuleShape } from '../lib/findings';

describe('formatPath / parsePath', () => {
  test.each<[Array<string | number>, string]>([
    [['spec', 'networks', 2, 'ipam', 'type'], 'spec.networks[2].ipam.type'],
    [['spec', 'nodeGroups', 0, 'labels', 'team.io/x'], 'spec.nodeGroups[0].labels["team.io/x"]'],
    [[], ''],
  ])('%j renders as %j and parses back', (path, text) => {
    // GIVEN / WHEN / THEN
    expect(formatPath(path)).toBe(text);
    expect(parsePath(text)).toEqual(path);
  });
});

describe('RuleShape', () => {
  /** A rule over a plain number, to show the shape needs no intent: the ground floor knows no layer above it. */
  const positive: RuleShape<[value: number], 'a' | 'b'> = {
    id: 'test:Positive', level: 'error', summary: 'A value is not positive.', why: 'Nothing else works.', fix: 'Use a positive value.',
    flavours: ['a'],
    check(value) {
      return value > 0 ? [] : [finding(this, ['spec', 'value'], `${value} is not positive`)];
    },
  };

  test('a rule of the shape builds its findings with its id, level and fix, the path first in the message', () => {
    // GIVEN / WHEN / THEN
    expect(positive.check(1)).toEqual([]);
    expect(positive.check(-2)).toEqual([{
      id: 'test:Positive', level: 'error', path: 'spec.value', message: 'spec.value: -2 is not positive', fix: 'Use a positive value.',
    }]);
  });
});
