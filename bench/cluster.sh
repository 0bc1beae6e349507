#!/usr/bin/env bash
# bench/cluster.sh: the local cluster's cost: warm `up` to ready for the macvlan variant of the default intent
# (3 nodes), memory per node, `down`; beside a baseline in the same run: the control plane alone (the step that
# every `up` pays before any node starts). Targets: warm up to ready < 30 s for 3 nodes. The cold build is timed by
# cluster/build/build.sh itself (its status file); see bench/README.md.
#
# With --tests it also times the local-cluster suites (scripts/box-suites.js, one jest --runInBand run: what npm test
# runs with its box switch on). Every line says the load average, since 2 shared cores make the figures move.
#
# Usage: sudo bench/cluster.sh [--tests] [ROUNDS]   (default 2; artifacts: MULTINIC_BOX_ARTIFACTS, else build.sh's cache)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TESTS=0
if [[ ${1:-} == --tests ]]; then TESTS=1; shift; fi
ROUNDS=${1:-2}
load() { cut -d' ' -f1-3 /proc/loadavg; }
NAME=bench
INTENT=$ROOT/test/fixtures/cluster/default-macvlan.yaml
CLI=(node "$ROOT/build/bin/multinic.js" cluster)

if ((EUID != 0)); then echo "bench/cluster.sh: needs root" >&2; exit 2; fi
if [[ -z ${MULTINIC_BOX_ARTIFACTS:-} ]]; then
  t=$(date +%s.%N)
  MULTINIC_BOX_ARTIFACTS=$(bash "$ROOT/cluster/build/build.sh" 2>/dev/null | tail -1)
  export MULTINIC_BOX_ARTIFACTS
  awk -v a="$t" -v b="$(date +%s.%N)" -v l="$(load)" 'BEGIN { printf "build (warm when cached) %.1f s, load %s\n", b - a, l }'
fi
cleanup() { "${CLI[@]}" down --name "$NAME" >/dev/null 2>&1 || true; }
trap cleanup EXIT
(cd "$ROOT" && npm run build --silent)

for round in $(seq 1 "$ROUNDS"); do
  start=$(date +%s.%N)
  status=0
  report=$("${CLI[@]}" up --json --name "$NAME" -i "$INTENT" 2>/tmp/bench-cluster-up.err) || status=$?
  if ((status != 0)); then echo "bench/cluster.sh: up exited $status: $(jq -r '.error // empty' <<<"$report" 2>/dev/null || true) $(tail -5 /tmp/bench-cluster-up.err) $report" | head -c 4000 >&2; exit 1; fi
  end=$(date +%s.%N)
  cp_s=$(jq -r '.steps[] | select(.title | startswith("Starting the control plane")) | .seconds' <<<"$report")
  ok=$(jq -r .ok <<<"$report")
  steps=$(jq -r '[.steps[] | "\(.title | split(" ")[0:2] | join(" ")) \(.seconds)s"] | join(", ")' <<<"$report")
  # Memory: RSS of every process of each node (containerd, kubelet, kube-proxy, shims, pods), from the markers and cgroups.
  mem=$( { grep -lz "^MULTINIC_BOX=$NAME\$" /proc/[0-9]*/environ 2>/dev/null || true; } | cut -d/ -f3 | while read -r pid; do
      # (a process may be gone by now: its files are read with errors silenced)
      node=$( { tr '\0' '\n' <"/proc/$pid/environ"; } 2>/dev/null | sed -n 's/^MULTINIC_BOX_NODE=//p' || true)
      rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
      echo "${node:-control-plane} ${rss:-0}"
    done | awk '{ s[$1] += $2 } END { for (n in s) printf "%s=%d MiB ", n, s[n] / 1024 }')
  pods=$(for cg in /sys/fs/cgroup/memory/multinic-box/"$NAME"/*/; do
      printf '%s=%d MiB ' "$(basename "$cg")" "$(($(cat "$cg/memory.usage_in_bytes") / 1048576))"
    done)
  awk -v r="$round" -v a="$start" -v b="$end" -v c="$cp_s" -v ok="$ok" -v steps="$steps" \
    -v l="$(load)" 'BEGIN { printf "round %s: up to ready %.1f s (ok=%s; control plane alone %.1f s, ratio %.1f); %s; load %s\n", r, b - a, ok, c, (b - a) / c, steps, l }'
  printf '  process RSS per node: %s\n  cgroup memory per node (pods): %s\n' "$mem" "$pods"
  t=$(date +%s.%N)
  "${CLI[@]}" down --name "$NAME" >/dev/null
  awk -v a="$t" -v b="$(date +%s.%N)" 'BEGIN { printf "  down %.1f s\n", b - a }' 
done

if ((TESTS)); then
  mapfile -t suites < <(cd "$ROOT" && node -e "for (const f of require('./scripts/box-suites').boxSuites('.')) console.log(f)")
  t=$(date +%s.%N)
  status=0
  (cd "$ROOT" && nice npx jest --runInBand "${suites[@]}" >/tmp/bench-cluster-tests.log 2>&1) || status=$?
  awk -v a="$t" -v b="$(date +%s.%N)" -v n="${#suites[@]}" -v s="$status" -v l="$(load)" \
    'BEGIN { printf "cluster tests (%d suites, --runInBand): %.1f s, exit %s (log /tmp/bench-cluster-tests.log); load %s\n", n, b - a, s, l }'
  tail -1 /tmp/bench-cluster-tests.log
fi
