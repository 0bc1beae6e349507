/**
 * Construct ids derived from intent names. CDK logical ids are built from them, so they must not change for names
 * that did not change (a new logical id replaces the resource).
 */

/** PascalCase construct-id part from an intent name (`multus-a` -> `MultusA`). Not injective: `1-2` and `12` both give `12`. */
export function pascal(name: string): string {
  return name.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

/**
 * Collision-free ids for a list of keys: each key's `preferred` id, unless an earlier key already took it; then
 * `fallback` (which must be injective and never equal a preferred id). Deterministic: the same list gives the same ids.
 */
export function uniqueIds<T>(items: readonly T[], preferred: (t: T) => string, fallback: (t: T) => string): string[] {
  const taken = new Set<string>();
  return items.map((t) => {
    const p = preferred(t);
    const id = taken.has(p) ? fallback(t) : p;
    taken.add(id);
    return id;
  });
}
