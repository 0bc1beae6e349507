#!/usr/bin/env node
import { processIo } from './cli';
import { main } from './main';

main(process.argv.slice(2), processIo).then(
  (code) => { process.exitCode = code; },
  (e) => { process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`); process.exitCode = 70; },
);
