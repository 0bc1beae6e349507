import { rng } from './rng';

describe('rng', () => {
  test('the same seed gives the same sequence, another seed another one, every value in [0, 1)', () => {
    const take = (seed: number) => { const r = rng(seed); return Array.from({ length: 1000 }, () => r()); };
    const a = take(42);
    expect(take(42)).toEqual(a);
    expect(take(43)).not.toEqual(a);
    expect(a.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(a).size).toBeGreaterThan(990);
  });
});
