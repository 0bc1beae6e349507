#!/usr/bin/env bash
# Benchmark for `multinic validate` and `multinic synth` (see bench/synth-bench.ts). Not part of npm test.
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/build.js --project tsconfig.bench.json >/dev/null
node build/bench/synth-bench.js
