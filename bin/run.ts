import { processIo } from './cli';
import { main } from './main';

/** The CLI itself: bin/multinic.ts runs this module from the pack when it can (bin/private/packed.ts). */
main(process.argv.slice(2), processIo).then(
  (code) => { process.exitCode = code; },
  (e) => { process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`); process.exitCode = 70; },
);
