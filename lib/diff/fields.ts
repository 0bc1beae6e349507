/** The small pieces every part of the diff uses: rendering a value, field-by-field changes, pairing two lists. */
import type { ChangeKind } from './types';

/** Renders a value in a detail line: strings bare, everything else as compact JSON, missing as `(unset)`. */
export function show(value: unknown): string {
  if (value === undefined) return '(unset)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** `field a -> b` for every top-level field whose value differs (nested objects listed in `nested` go one level down). */
export function fieldChanges(a: object, b: object, prefix = '', nested: readonly string[] = []): string[] {
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(ra), ...Object.keys(rb)])];
  return keys.flatMap((k) => {
    if (JSON.stringify(ra[k]) === JSON.stringify(rb[k])) return [];
    const both = ra[k] !== null && rb[k] !== null && typeof ra[k] === 'object' && typeof rb[k] === 'object';
    if (nested.includes(k) && both && !Array.isArray(ra[k])) return fieldChanges(ra[k] as object, rb[k] as object, `${prefix}${k}.`);
    return [`${prefix}${k}: ${show(ra[k])} -> ${show(rb[k])}`];
  });
}

/** Pairs items of two lists by key: `[key, base?, head?]`, head order first, then what only the base has. */
export function pairBy<T>(base: readonly T[], head: readonly T[], key: (t: T) => string): Array<[string, T | undefined, T | undefined]> {
  const b = new Map<string, T>();
  for (const t of base) if (!b.has(key(t))) b.set(key(t), t);
  const h = new Map<string, T>();
  for (const t of head) if (!h.has(key(t))) h.set(key(t), t);
  return [
    ...[...h].map(([k, t]): [string, T | undefined, T | undefined] => [k, b.get(k), t]),
    ...[...b].filter(([k]) => !h.has(k)).map(([k, t]): [string, T | undefined, T | undefined] => [k, t, undefined]),
  ];
}

export const kindOf = (a: unknown, b: unknown): ChangeKind => (a === undefined ? 'added' : b === undefined ? 'removed' : 'changed');
