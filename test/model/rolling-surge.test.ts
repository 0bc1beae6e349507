import { peakNodes, rollingSurge } from '../../lib/model/rolling-surge';

describe('rollingSurge / peakNodes', () => {
  test('a worker group runs one node more while it rolls', () => {
    expect(rollingSurge({ role: 'worker' })).toBe(1);
    expect(peakNodes({ role: 'worker', count: 3 })).toBe(4);
  });

  test('the control plane is never rolled: no surge', () => {
    expect(rollingSurge({ role: 'control-plane' })).toBe(0);
    expect(peakNodes({ role: 'control-plane', count: 1 })).toBe(1);
  });
});
