#!/usr/bin/env bash
# bench/cluster.sh: the local cluster's cost, each figure beside a baseline measured in the same run, on the macvlan
# variant of the default intent (3 nodes):
# - warm `up` to ready (median of ROUNDS) against two baselines: the floor (`up --bare`: control plane and nodes
#   Ready, nothing applied) and the sequential path (MULTINIC_BOX_SEQUENTIAL=1: the same actions one at a time);
# - `down` of that box against `down` of the bare box;
# - memory per node (processes of the node and its pods' cgroup) against the bare box's nodes.
# Target: warm up to ready < 30 s for 3 nodes. The cold build: bench/box-build.sh.
#
# With --tests it also times every default box suite (scripts/box-suites.js; what npm test runs), each in its own
# `jest --runInBand`, then all of them in one jest run as npm test runs them (MULTINIC_BOX_WORKERS boxes at a time,
# default 2), and prints both against the 10-minute budget (the one-at-a-time sum is the baseline).
# BENCH_LOCK=FILE takes `flock FILE` around each box run (one box at a time on a shared machine).
# Every line says the load average: 2 shared cores make the figures move.
#
# Usage: sudo bench/cluster.sh [--tests] [ROUNDS]   (default 3; artifacts: MULTINIC_BOX_ARTIFACTS, else build.sh's cache)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TESTS=0
ONE=''
if [[ ${1:-} == --tests ]]; then TESTS=1; shift; fi
# (internal) --one KIND | --suite FILE | --together FILE...: one box run (or npm test's box run of every suite), under
# BENCH_LOCK when the caller set it
if [[ ${1:-} == --one || ${1:-} == --suite || ${1:-} == --together ]]; then ONE=$1; shift; fi
ROUNDS=${1:-3}
ARG=${1:-}
load() { cut -d' ' -f1-3 /proc/loadavg; }
NAME=bench
INTENT=$ROOT/test/fixtures/cluster/default-macvlan.yaml
CLI=(node "$ROOT/build/bin/multinic.js" cluster)
locked() { if [[ -n ${BENCH_LOCK:-} ]]; then flock "$BENCH_LOCK" "$@"; else "$@"; fi; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "nan" }'; }

if ((EUID != 0)); then echo "bench/cluster.sh: needs root" >&2; exit 2; fi
if [[ -z $ONE && -z ${MULTINIC_BOX_ARTIFACTS:-} ]]; then
  t=$(now)
  MULTINIC_BOX_ARTIFACTS=$(bash "$ROOT/cluster/build/build.sh" 2>/dev/null | tail -1)
  export MULTINIC_BOX_ARTIFACTS
  echo "build (warm when cached) $(since "$t") s, load $(load)"
fi
cleanup() { "${CLI[@]}" down --name "$NAME" >/dev/null 2>&1 || true; }
trap cleanup EXIT

# Memory of the running box per node: RSS of the node's own processes (markers: containerd, kubelet, kube-proxy,
# shims) plus the memory cgroup of its pods; the control plane's processes as one more row. Prints "node MiB" lines.
memory() {
  {
    { grep -lz "^MULTINIC_BOX=$NAME\$" /proc/[0-9]*/environ 2>/dev/null || true; } | cut -d/ -f3 | while read -r pid; do
      # (a process may be gone by now: its files are read with errors silenced)
      node=$( { tr '\0' '\n' <"/proc/$pid/environ"; } 2>/dev/null | sed -n 's/^MULTINIC_BOX_NODE=//p' || true)
      rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
      echo "${node:-control-plane} ${rss:-0}"
    done
    for cg in /sys/fs/cgroup/memory/multinic-box/"$NAME"/*/kubepods*; do
      [[ -d $cg ]] || continue
      node=$(basename "$(dirname "$cg")")
      echo "$node $(($(cat "$cg/memory.usage_in_bytes") / 1024))"
    done
  } | awk '{ s[$1] += $2 } END { for (n in s) printf "%s %d\n", n, s[n] / 1024 }' | sort
}

# one_box KIND: up (bare | sequential | staged), memory, down; appends "seconds" lines to $OUT/KIND.{up,down,mem}.
one_box() {
  local kind=$1 args=() env=() t report status=0
  [[ $kind == bare ]] && args=(--bare)
  [[ $kind == sequential ]] && env=(MULTINIC_BOX_SEQUENTIAL=1)
  t=$(now)
  report=$(env "${env[@]}" "${CLI[@]}" up --json --name "$NAME" -i "$INTENT" "${args[@]}" 2>"$OUT/up.err") || status=$?
  local up_s; up_s=$(since "$t")
  if ((status != 0)); then
    echo "bench/cluster.sh: $kind up exited $status: $(jq -r '.error // empty' <<<"$report" 2>/dev/null || true) $(tail -5 "$OUT/up.err")" | head -c 4000 >&2
    return 1
  fi
  echo "$up_s" >>"$OUT/$kind.up"
  local steps; steps=$(jq -r '[.steps[] | "\(.title | split(" ")[0:2] | join(" ")) \(.seconds)s"] | join(", ")' <<<"$report")
  local mem; mem=$(memory)
  awk '$1 != "control-plane" { print $2 }' <<<"$mem" >>"$OUT/$kind.mem"
  t=$(now)
  "${CLI[@]}" down --name "$NAME" >/dev/null 2>&1
  local down_s; down_s=$(since "$t")
  echo "$down_s" >>"$OUT/$kind.down"
  echo "  $kind: up to ready $up_s s ($steps); down $down_s s; MiB: $(tr '\n' ' ' <<<"$mem"); load $(load)"
}

if [[ $ONE == --one ]]; then one_box "$ARG"; exit; fi
if [[ $ONE == --suite ]]; then
  # the suite's own time, inside the lock: seconds, exit status and jest's Tests: line
  t=$(now)
  status=0
  (cd "$ROOT" && nice npx jest --runInBand "$ARG" >"$OUT/tests.log" 2>&1) || status=$?
  echo "$(since "$t") $status $(grep -E '^Tests:' "$OUT/tests.log" | tail -1)"
  exit
fi
if [[ $ONE == --together ]]; then
  # every suite in one jest run, as npm test runs them (scripts/test.js: BOX_WORKERS boxes at a time)
  t=$(now)
  status=0
  (cd "$ROOT" && nice npx jest "--maxWorkers=${MULTINIC_BOX_WORKERS:-2}" "$@" >"$OUT/tests.log" 2>&1) || status=$?
  echo "$(since "$t") $status $(grep -E '^Tests:' "$OUT/tests.log" | tail -1)"
  exit
fi
export MULTINIC_BOX_ARTIFACTS
(cd "$ROOT" && npm run build --silent)
OUT=$(mktemp -d)
export OUT
# The kinds take turns leading (the machine's load drifts within a round).
kinds=(bare sequential staged)
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round"
  for i in 0 1 2; do locked "$0" --one "${kinds[(i + round - 1) % 3]}"; done
done

m() { median <"$OUT/$1"; }
up=$(m staged.up); bare=$(m bare.up); seq_up=$(m sequential.up)
echo
echo "warm up to ready, 3 nodes (median of $ROUNDS): $up s; $(ratio "$up" "$bare")x the floor (up --bare, $bare s); $(ratio "$up" "$seq_up")x the sequential path ($seq_up s); target < 30 s"
echo "down (median): $(m staged.down) s; $(ratio "$(m staged.down)" "$(m bare.down)")x the bare box's down ($(m bare.down) s)"
echo "memory per node (median over nodes and rounds): $(m staged.mem) MiB; $(ratio "$(m staged.mem)" "$(m bare.mem)")x a bare node ($(m bare.mem) MiB)"
echo "load $(load)"

if ((TESTS)); then
  mapfile -t suites < <(cd "$ROOT" && node -e "const b = require('./scripts/box-suites'); for (const f of b.boxSuites(process.cwd())) if (b.optInReason(f) === undefined) console.log(f)")
  total=0
  for s in "${suites[@]}"; do
    read -r took status tests < <(locked "$0" --suite "$s")
    total=$(awk -v a="$total" -v b="$took" 'BEGIN { printf "%.1f", a + b }')
    echo "  ${s#"$ROOT"/}: $took s (exit $status; $tests); load $(load)"
  done
  echo "default box suites (${#suites[@]}, one jest --runInBand each): $total s; $(ratio "$total" 600)x the 10-minute budget"
  read -r together status tests < <(locked "$0" --together "${suites[@]}")
  echo "the same suites as npm test runs them (${MULTINIC_BOX_WORKERS:-2} boxes at a time): $together s (exit $status; $tests); $(ratio "$together" "$total")x one at a time; $(ratio "$together" 600)x the 10-minute budget; load $(load)"
fi
rm -rf "$OUT"
