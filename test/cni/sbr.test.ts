import { sbr } from '../../lib/cni';

describe('sbr', () => {
  test('is the bare sbr plugin, a fresh object each call', () => {
    // GIVEN / WHEN
    const a = sbr();
    // THEN
    expect(a).toStrictEqual({ type: 'sbr' });
    expect(a).not.toBe(sbr());
  });
});
