#!/usr/bin/env bash
# bench/vm.sh: time the VM test (test/vm/vm.test.ts): kernel from the cache, initramfs build, one TCG boot running
# every case of the VPC model. Needs root, qemu and busybox-static, like the test.
#
# Usage: sudo bench/vm.sh [ROUNDS]   (default 1; the first round also downloads the kernel if the cache is empty)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-1}
for ((i = 1; i <= rounds; i++)); do
  start=$(date +%s.%N)
  npx jest test/vm/vm.test.ts --silent >/dev/null 2>&1 || { echo "round $i: the VM test failed (run npx jest test/vm/vm.test.ts)"; exit 1; }
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" -v i="$i" 'BEGIN { printf "round %d: VM test (boot + suite + jest) %.1f s\n", i, e - s }'
done
