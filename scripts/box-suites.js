'use strict';
/**
 * The local-cluster ("box") suites: test files under test/ that start a box (`startBox(` of cluster/testing.ts or
 * `upSeedBox(` of test/cluster/seed/box.ts). Found by reading the files, so a new box suite needs no list entry.
 * scripts/test.js runs them in a jest run of their own, one at a time; jest.config.js leaves them out of the main run.
 */
const fs = require('node:fs');
const path = require('node:path');

const STARTS_A_BOX = /\b(startBox|upSeedBox)\(/;
/**
 * A box suite that npm test runs only with MULTINIC_BOX=all: one whose file says `@box-suite opt-in` with the reason
 * (not yet green on every run, or too slow for the default budget). scripts/test.js prints each one and why.
 */
const OPT_IN = /@box-suite opt-in:?\s*([^\n]*)/;

/** Absolute paths of the box suites, sorted. */
function boxSuites(root) {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) { if (e.name !== 'node_modules' && e.name !== 'fixtures') walk(p); }
      else if (e.name.endsWith('.test.ts') && STARTS_A_BOX.test(fs.readFileSync(p, 'utf8'))) out.push(p);
    }
  };
  walk(path.join(root, 'test'));
  return out.sort();
}

/** The reason a box suite is opt-in, or undefined when npm test runs it by default. */
function optInReason(file) {
  const m = OPT_IN.exec(fs.readFileSync(file, 'utf8'));
  return m ? (m[1].replace(/\*\/\s*$/, '').trim().replace(/\.$/, '') || 'opt-in') : undefined;
}

module.exports = { boxSuites, optInReason };
