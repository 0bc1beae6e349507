#!/usr/bin/env bash
# Benchmark of the edit-synth loop: `npm run synth` (its script, run the way npm runs it) against the floor, a minimal
# one-instance CDK app plus a bare cdk8s app built and run the same way (scripts/build.js, then the bare cdk8s app,
# then `cdk synth` of the minimal app with the same built-in validation), in turns, RUNS times each:
#   unchanged tree: nothing changed since the last `npm run synth` (it repeats that run's output);
#   intent edited: the intent changed, the code did not (the build is skipped, the synth runs);
#   cold: build/, dist/ and cdk.out/ removed first (a fresh clone after npm ci), reported beside it.
# Prints medians of wall and CPU (user+sys) seconds and the ratios ours/floor. Target (README): unchanged tree
# within 1.3x of the floor. Not part of npm test; run by hand on a quiet machine, e.g. `bench/synth-loop.sh 5`.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PATH="$PWD/node_modules/.bin:$PATH"

ours_cmd=$(node -p 'require("./package.json").scripts.synth')
floor_cmd="node scripts/build.js --project bench/tsconfig.floor.json && node build/bench/bare-cdk8s.js $work/bare && cdk synth --no-notices --quiet --app 'node build/bench/cdk-synth-minimal.js' -c @aws-cdk/core:validateAgainstDefaultRules=true -o $work/minimal"

# timed NAME CMD: runs CMD in sh (as npm does), appends "NAME wall cpu" to $work/times; output goes to $work/NAME.log.
timed() {
  local TIMEFORMAT='%R %U %S' t
  t=$({ time sh -c "$2" >"$work/$1.log" 2>&1; } 2>&1) || { cat "$work/$1.log" >&2; exit 1; }
  read -r wall user sys <<<"$t"
  echo "$1 $wall $(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')" >>"$work/times"
}
cold() { rm -rf build dist cdk.out; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# Warm-up: both built, caches filled.
node scripts/build.js --project bench/tsconfig.floor.json
sh -c "$ours_cmd" >/dev/null 2>&1
for ((i = 0; i < runs; i++)); do
  timed floor "$floor_cmd"
  # edit: the same intent with one more comment line (new input, same code), then synth again with nothing changed
  { cat network-intent.yaml; echo "# bench edit $i"; } >"$work/intent.yaml"
  timed ours-edit "MULTINIC_INTENT=$work/intent.yaml $ours_cmd"
  timed ours "MULTINIC_INTENT=$work/intent.yaml $ours_cmd"
done
cold; timed ours-cold "$ours_cmd"
cold; timed floor-cold "$floor_cmd"
node scripts/build.js >/dev/null # leave build/ as it was found

# Summary: medians and ratios, and the load average (1, 5, 15 min) around the runs.
echo "load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)"
node - "$work/times" <<'JS'
const rows = require('fs').readFileSync(process.argv[2], 'utf8').trim().split('\n').map((l) => l.split(' '));
const median = (name, col) => {
  const v = rows.filter((r) => r[0] === name).map((r) => Number(r[col])).sort((a, b) => a - b);
  return v[Math.floor((v.length - 1) / 2)];
};
const line = (label, a, b) => {
  const [wa, ca, wb, cb] = [median(a, 1), median(a, 2), median(b, 1), median(b, 2)];
  console.log(`| ${label} | ${wa.toFixed(2)} / ${ca.toFixed(2)} | ${wb.toFixed(2)} / ${cb.toFixed(2)} | ${(wa / wb).toFixed(2)}x / ${(ca / cb).toFixed(2)}x |`);
};
console.log('| case | npm run synth: wall / cpu s | floor: wall / cpu s | ratio wall / cpu |');
console.log('|---|---|---|---|');
line(`unchanged tree (median of ${rows.filter((r) => r[0] === 'ours').length})`, 'ours', 'floor');
line('intent edited: build skipped, synth runs', 'ours-edit', 'floor');
line('cold (build/, dist/, cdk.out/ removed; one run)', 'ours-cold', 'floor-cold');
console.log('Target: unchanged tree within 1.3x of the floor. CPU is the steadier figure on a shared machine.');
JS
