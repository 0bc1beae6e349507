#!/usr/bin/env node
import { runPacked } from './private/packed';

// The CLI from the pack scripts/build.js made (one file and a code cache: about half the start-up time) when it is
// current, else its modules as compiled; the same code either way (bin/private/packed.ts).
if (!runPacked('build/bin/run.js')) require('./run');
