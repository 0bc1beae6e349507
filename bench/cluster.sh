#!/usr/bin/env bash
# bench/cluster.sh: the local cluster's cost: warm `up` to ready for the macvlan variant of the default intent
# (3 nodes), memory per node, `down`; beside a baseline in the same run: the control plane alone (the step that
# every `up` pays before any node starts). Targets: warm up to ready < 30 s for 3 nodes. The cold build is timed by
# cluster/build/build.sh itself (its status file); see bench/README.md.
#
# Usage: sudo MULTINIC_BOX_ARTIFACTS=DIR bench/cluster.sh [ROUNDS]   (default 2)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${1:-2}
NAME=bench
INTENT=$ROOT/test/fixtures/cluster/default-macvlan.yaml
CLI=(node "$ROOT/build/bin/multinic.js" cluster)

if ((EUID != 0)); then echo "bench/cluster.sh: needs root" >&2; exit 2; fi
[[ -n ${MULTINIC_BOX_ARTIFACTS:-} ]] || { echo "bench/cluster.sh: set MULTINIC_BOX_ARTIFACTS (bash cluster/build/build.sh prints it)" >&2; exit 2; }
cleanup() { "${CLI[@]}" down --name "$NAME" >/dev/null 2>&1 || true; }
trap cleanup EXIT
(cd "$ROOT" && npm run build --silent)

for round in $(seq 1 "$ROUNDS"); do
  start=$(date +%s.%N)
  report=$("${CLI[@]}" up --json --name "$NAME" -i "$INTENT")
  end=$(date +%s.%N)
  cp_s=$(jq -r '.steps[] | select(.title | startswith("Starting the control plane")) | .seconds' <<<"$report")
  ok=$(jq -r .ok <<<"$report")
  steps=$(jq -r '[.steps[] | "\(.title | split(" ")[0:2] | join(" ")) \(.seconds)s"] | join(", ")' <<<"$report")
  # Memory: RSS of every process of each node (containerd, kubelet, kube-proxy, shims, pods), from the markers and cgroups.
  mem=$(grep -lz "^MULTINIC_BOX=$NAME\$" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3 | while read -r pid; do
      node=$(tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | sed -n 's/^MULTINIC_BOX_NODE=//p')
      rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
      echo "${node:-control-plane} ${rss:-0}"
    done | awk '{ s[$1] += $2 } END { for (n in s) printf "%s=%d MiB ", n, s[n] / 1024 }')
  pods=$(for cg in /sys/fs/cgroup/memory/multinic-box/"$NAME"/*/; do
      printf '%s=%d MiB ' "$(basename "$cg")" "$(($(cat "$cg/memory.usage_in_bytes") / 1048576))"
    done)
  awk -v r="$round" -v a="$start" -v b="$end" -v c="$cp_s" -v ok="$ok" -v steps="$steps" \
    'BEGIN { printf "round %s: up to ready %.1f s (ok=%s; control plane alone %.1f s, ratio %.1f); %s\n", r, b - a, ok, c, (b - a) / c, steps }' 
  printf '  process RSS per node: %s\n  cgroup memory per node (pods): %s\n' "$mem" "$pods"
  t=$(date +%s.%N)
  "${CLI[@]}" down --name "$NAME" >/dev/null
  awk -v a="$t" -v b="$(date +%s.%N)" 'BEGIN { printf "  down %.1f s\n", b - a }' 
done
