#!/usr/bin/env bash
# Times validate, plan and diff on a generated intent with 1,000 networks and 500 nodes (target: each under 1 s).
# Usage: bench/review.sh [--networks N] [--nodes N] [--strict]
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/build.js --project tsconfig.bench.json
exec node build/bench/review.js "$@"
