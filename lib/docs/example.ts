/**
 * Examples for the validation catalogue, produced by running validation, never written by hand: a bad intent goes
 * through `validateText`, and the example keeps the finding it raises (exact message, line, column) and the smallest
 * readable fragment of the intent around the offending value.
 */
import { isCollection, parseDocument, stringify } from 'yaml';
import { parsePath, validateText } from '../intent/validate';
import type { Finding, IntentPath } from '../findings';
import { formatPath } from '../findings';

export interface Example {
  /** What the bad intent does wrong, in one line (its first comment line). */
  readonly title: string;
  /** Where the intent came from, e.g. `test/fixtures/invalid/address-bad-octet.yaml`. */
  readonly source: string;
  /** The finding the validator raised for the rule. */
  readonly finding: Finding;
  /** Path of the fragment inside the intent (`spec.networks[1].ipam`); empty for a text excerpt. */
  readonly fragmentPath: string;
  /** YAML of the fragment. */
  readonly fragment: string;
}

/** Fragments longer than this fall back to a smaller one (the offending value, or the lines around it). */
export const MAX_FRAGMENT_LINES = 24;

/** The enclosing object of the offending value: its parent, or the grand-parent when the parent is a list. */
function fragmentPathOf(path: IntentPath, doc: ReturnType<typeof parseDocument>): IntentPath {
  let p = path.slice(0, -1);
  if (p.length && typeof path[path.length - 1] === 'number') p = path.slice(0, -2);
  while (p.length && !isCollection(doc.getIn(p, true))) p = p.slice(0, -1);
  return p;
}

function excerpt(text: string, line: number | undefined): string {
  const lines = text.split('\n');
  const at = Math.max(1, Math.min(line ?? 1, lines.length));
  return lines.slice(Math.max(0, at - 3), at + 2).join('\n');
}

/**
 * Validates `text` and builds the example of the first finding with `id`.
 * @returns undefined when the intent raises no finding with that id
 */
export function exampleFor(id: string, text: string, source: string): Example | undefined {
  const finding = validateText(text, source).findings.find((f) => f.id === id);
  if (!finding) return undefined;
  const title = /^#\s*(.*)$/m.exec(text)?.[1]?.trim() ?? id;
  const doc = parseDocument(text);
  if (doc.errors.length === 0 && finding.path) {
    const path = parsePath(finding.path);
    for (const p of [fragmentPathOf(path, doc), path]) {
      if (p.length === 0) continue;
      const value = doc.getIn(p, true);
      if (value === undefined) continue;
      const yaml = stringify(isCollection(value) ? value.toJSON() : { [String(p[p.length - 1])]: doc.getIn(p) }).trimEnd();
      if (yaml.split('\n').length <= MAX_FRAGMENT_LINES) return { title, source, finding, fragmentPath: formatPath(p), fragment: yaml };
    }
  }
  return { title, source, finding, fragmentPath: '', fragment: excerpt(text, finding.line) };
}
