#!/usr/bin/env node
/**
 * Re-indents the continuation lines of double-quoted YAML scalars that are indented less than their key, and
 * nothing else. Upstream's MultiNetworkPolicy `scheme.yml` has two such lines: Go's YAML parser (kubectl) accepts
 * them, strict YAML 1.2 parsers (the `yaml` package, cdk8s import) do not. Usage: normalize-crd.js IN > OUT.
 * Deterministic and offline; `npm run import` runs it (bin/import-crds.sh).
 */
'use strict';
const fs = require('node:fs');

function normalize(text) {
  const lines = text.split('\n');
  let open = null; // indentation of the key whose double-quoted value is still open
  return lines.map((line) => {
    if (open !== null) {
      const indent = line.length - line.trimStart().length;
      const fixed = indent <= open && line.trim() !== '' ? `${' '.repeat(open + 2)}${line.trimStart()}` : line;
      if (closes(line, 0)) open = null;
      return fixed;
    }
    const m = /^(\s*)(?:- )?[A-Za-z0-9_$-]+: "/.exec(line);
    if (m && !closes(line, m[0].length)) open = m[1].length;
    return line;
  }).join('\n');
}

/** Whether a double quote that is not escaped occurs in `line` from `from` on. */
function closes(line, from) {
  for (let i = from; i < line.length; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === '"') return true;
  }
  return false;
}

module.exports = { normalize };

if (require.main === module) {
  const [input] = process.argv.slice(2);
  if (!input) {
    process.stderr.write('usage: normalize-crd.js FILE\n');
    process.exit(2);
  }
  process.stdout.write(normalize(fs.readFileSync(input, 'utf8')));
}
