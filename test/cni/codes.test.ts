import * as codes from '../../lib/cni/codes';

describe('CNI error codes', () => {
  test('every exported code is listed once in CNI_ERROR_CODES and is its own name', () => {
    // GIVEN the module's string exports
    const exported = Object.entries(codes).filter(([, v]) => typeof v === 'string');
    // THEN each is UPPER_SNAKE, equal to its constant name, and listed exactly once
    for (const [name, value] of exported) expect(value).toBe(name);
    expect([...codes.CNI_ERROR_CODES].sort()).toEqual(exported.map(([, v]) => v).sort());
    expect(new Set(codes.CNI_ERROR_CODES).size).toBe(codes.CNI_ERROR_CODES.length);
  });
});
