/** Levenshtein distance. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/**
 * A candidate that starts with `word` (the shortest, e.g. `c5n.18xl` -> `c5n.18xlarge`), else the closest one
 * within max(2, a third of the word) edits; ties go to the first in `candidates` order.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  const prefixed = w.includes('.') ? candidates.filter((c) => c.startsWith(w)) : [];
  if (prefixed.length > 0) return prefixed.reduce((a, b) => (b.length < a.length ? b : a));
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c);
    if (d < bestDistance) { best = c; bestDistance = d; }
  }
  return bestDistance <= limit ? best : undefined;
}
