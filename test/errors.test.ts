import { MultinicError } from '../lib/errors';

describe('MultinicError', () => {
  test('carries a stable code beside its message', () => {
    // GIVEN / WHEN
    const e = new MultinicError('INTENT_PARSE', 'bad YAML at line 3');
    // THEN
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('INTENT_PARSE');
    expect(e.message).toBe('bad YAML at line 3');
  });
});
