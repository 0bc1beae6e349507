#!/usr/bin/env bash
# bench/box-build.sh: the local cluster build (cluster/build/build.sh). Times, in one run:
#   warm       the artifacts exist: every step cached (target: a few seconds; the baseline every `up` pays)
#   relink     a fresh artifacts directory on warm Go caches: every binary linked and every image built again
#   cold       (--cold only, 20-30 min) also an empty Go build cache: everything compiled
# and prints each beside the warm run as a ratio. The module cache (GOMODCACHE) is kept: the cold figure excludes
# downloads. Usage: bench/box-build.sh [--cold]
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=(bash "$ROOT/cluster/build/build.sh")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

timed() { local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); awk -v s="$s" -v e="$e" 'BEGIN { printf "%.2f", e - s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", a / b }'; }

"${BUILD[@]}" >/dev/null # make sure the default artifacts exist (cold the first time)
warm=$(timed "${BUILD[@]}")
printf 'warm (all cached)        %8.2f s\n' "$warm"
relink=$(MULTINIC_BOX_CACHE="$tmp/relink" timed "${BUILD[@]}")
printf 'relink (fresh artifacts) %8.2f s  %6sx warm\n' "$relink" "$(ratio "$relink" "$warm")"
if [ "${1:-}" = "--cold" ]; then
  cold=$(MULTINIC_BOX_CACHE="$tmp/cold" GOCACHE="$tmp/gocache" timed "${BUILD[@]}")
  printf 'cold (empty build cache) %8.2f s  %6sx warm\n' "$cold" "$(ratio "$cold" "$warm")"
fi
printf 'load average: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
