import { didYouMean } from '../../text/did-you-mean';

/**
 * A candidate that starts with `word` (the shortest, e.g. `c5n.18xl` -> `c5n.18xlarge`), else the closest one
 * within max(2, a third of the word) edits (the shared did-you-mean); ties go to the first in `candidates` order.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  const prefixed = w.includes('.') ? candidates.filter((c) => c.startsWith(w)) : [];
  if (prefixed.length > 0) return prefixed.reduce((a, b) => (b.length < a.length ? b : a));
  return didYouMean(word, candidates);
}
