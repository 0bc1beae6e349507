#!/usr/bin/env bash
# Benchmark: `npx cdk synth` of the default intent next to a minimal CDK app with one instance, run the same way
# (precompiled JS, built-in CloudFormation validation on as in cdk.json), then the default intent with worker groups
# of 3, 30 and 300 nodes, which should take the same time (node count is Auto Scaling capacity, not resources).
# Prints seconds, resource counts and ratios. Run by hand: it takes a few minutes on 2 cores.
#
# Usage: bench/cdk-synth.sh [RUNS]   (RUNS per case, default 1; the median is reported)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

node scripts/build.js --project tsconfig.bench.json >/dev/null

# seconds CMD...: median wall time of RUNS runs of CMD, in seconds with millisecond precision.
seconds() {
  local times=() i start end
  for ((i = 0; i < runs; i++)); do
    start=$(date +%s%N)
    "$@" >"$work/out.log" 2>&1 || { cat "$work/out.log" >&2; return 1; }
    end=$(date +%s%N)
    times+=($(((end - start) / 1000000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR] = $1} END {printf "%.3f", a[int((NR + 1) / 2)] / 1000}'
}

# resources DIR: CloudFormation resources over all templates of a cloud assembly.
resources() {
  node -e 'const fs = require("fs"); let n = 0;
    for (const f of fs.readdirSync(process.argv[1])) if (f.endsWith(".template.json")) n += Object.keys(JSON.parse(fs.readFileSync(process.argv[1] + "/" + f)).Resources).length;
    console.log(n)' "$1"
}

# intent_with N FILE: the default intent with every worker group at N nodes.
intent_with() {
  node -e 'const y = require("yaml"); const fs = require("fs");
    const d = y.parse(fs.readFileSync("network-intent.yaml", "utf8"));
    // No delegated prefixes: 300 nodes x 2 /28s do not fit the default /24 (synth refuses: PREFIX_RESERVATION_TOO_LARGE).
    for (const g of d.spec.nodeGroups) if (g.role === "worker") { g.count = Number(process.argv[1]); for (const i of g.interfaces ?? []) i.ipv4PrefixCount = 0; }
    fs.writeFileSync(process.argv[2], y.stringify(d))' "$1" "$2"
}

cdk() { npx cdk synth -q --no-notices "$@"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

printf '%-34s %9s %10s %8s\n' case seconds resources ratio
base=$(seconds cdk --app "node build/bench/cdk-synth-minimal.js" -c @aws-cdk/core:validateAgainstDefaultRules=true -o "$work/minimal")
printf '%-34s %9s %10s %8s\n' "minimal app (1 instance)" "$base" "$(resources "$work/minimal")" 1.00
default=$(seconds cdk -o "$work/default")
printf '%-34s %9s %10s %8.2f\n' "default intent" "$default" "$(resources "$work/default")" "$(ratio "$default" "$base")"
first=''
for n in 3 30 300; do
  intent_with "$n" "$work/intent-$n.yaml"
  t=$(MULTINIC_INTENT="$work/intent-$n.yaml" seconds cdk -o "$work/n$n")
  first=${first:-$t}
  printf '%-34s %9s %10s %8.2f\n' "default intent, workers x $n" "$t" "$(resources "$work/n$n")" "$(ratio "$t" "$first")"
done
echo "ratio: minimal app = 1.00 for the default intent; workers x 3 = 1.00 for the node-count rows (flat is the goal)"
