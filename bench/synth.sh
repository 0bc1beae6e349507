#!/usr/bin/env bash
# Benchmark of `multinic synth` and `multinic validate` as whole processes beside a bare cdk8s app, in turns, with CPU
# (user+sys) and wall medians, ratios and the load average (see bench/synth-bench.ts). Not part of npm test.
# Usage: bench/synth.sh [RUNS]   (default 7)
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/build.js --project tsconfig.bench.json >/dev/null
node build/bench/synth-bench.js "$@"
