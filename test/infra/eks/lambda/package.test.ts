/**
 * The functions' asset is infra/eks/lambda as it is (no bundler): every file there must run in a Lambda Node.js
 * runtime with nothing else. So each may require only Node built-ins, its siblings, and the AWS SDK v3 clients the
 * runtime itself provides; a require of a repository module or an npm package would work in these tests (node_modules
 * is there) and fail in AWS.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { builtinModules } from 'node:module';

const DIR = path.join(__dirname, '..', '..', '..', '..', 'infra', 'eks', 'lambda');
const RUNTIME_SDK = new Set(['@aws-sdk/client-auto-scaling', '@aws-sdk/client-cloudformation']);

describe('infra/eks/lambda as a Lambda asset', () => {
  const files = fs.readdirSync(DIR).sort();

  test('holds only the functions\' own CommonJS files', () => {
    expect(files).toEqual(['cfn-response.js', 'eks-token.js', 'kube.js', 'node-lifecycle.js', 'pod-replacement.js']);
  });

  test.each(fs.readdirSync(DIR).sort())('%s requires only built-ins, its siblings and the runtime\'s AWS SDK clients', (file) => {
    const text = fs.readFileSync(path.join(DIR, file), 'utf8');
    expect(text.startsWith("'use strict';")).toBe(true);
    expect(text).not.toMatch(/\bimport\s|\bimport\(/);
    const required = [...text.matchAll(/require\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]);
    for (const r of required) {
      const ok = r.startsWith('node:') ? builtinModules.includes(r.slice(5))
        : r.startsWith('./') ? files.includes(`${r.slice(2)}.js`) || files.includes(r.slice(2))
          : RUNTIME_SDK.has(r);
      expect({ file, require: r, ok }).toEqual({ file, require: r, ok: true });
    }
  });

  test('the handlers the stack names exist', () => {
    expect(typeof require(path.join(DIR, 'pod-replacement.js')).handler).toBe('function');
    expect(typeof require(path.join(DIR, 'node-lifecycle.js')).handler).toBe('function');
  });
});
