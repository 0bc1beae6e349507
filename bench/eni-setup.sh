#!/usr/bin/env bash
# bench/eni-setup.sh: time infra/node/multinic-eni.sh configuring 1 and 7 ENIs against the mock IMDSv2.
#
# For each ENI count it builds a fresh "node" network namespace with veth links standing in for the ENIs, starts
# test/util/imds-mock.js inside it on 127.0.0.1, and times the first run (everything to configure) and a second
# run (nothing to change). Target: under 1 s for 7 ENIs. Needs root, iproute2, curl, awk and node.
#
# Usage: sudo bench/eni-setup.sh [ROUNDS]   (default 5 rounds per ENI count; prints the median and the worst)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SCRIPT=$ROOT/infra/node/multinic-eni.sh
MOCK=$ROOT/test/util/imds-mock.js
ROUNDS=${1:-5}
PORT=8080
NS="mnbench$$"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/multinic-bench.XXXXXX")
MOCK_PID=''

cleanup() {
  if [[ -n $MOCK_PID ]]; then kill "$MOCK_PID" 2>/dev/null || true; fi
  ip netns del "$NS" 2>/dev/null || true
  ip netns del "${NS}v" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

if ((EUID != 0)); then
  echo "bench/eni-setup.sh: needs root (network namespaces)" >&2
  exit 2
fi

mac() { printf -v MAC '02:00:00:00:01:%02x' "$1"; }
MAC=''


# setup COUNT: namespaces, veths, fixture, node config, mock
setup() {
  local count=$1 i ifs='' nets='' enis=''
  cleanup_ns
  ip netns add "$NS"
  ip netns add "${NS}v"
  ip -n "$NS" link set lo up
  ip link add ens5 netns "$NS" address 02:00:00:00:00:01 type veth peer name vp0 netns "${NS}v"
  for ((i = 1; i <= count; i++)); do
    mac "$i"
    ip link add "eth$((i + 10))" netns "$NS" address "$MAC" type veth peer name "vp$i" netns "${NS}v"
    ip -n "${NS}v" link set "vp$i" up
    enis+=",{\"mac\":\"$MAC\",\"deviceNumber\":$i,\"localIpv4s\":[\"10.0.$((127 + i)).10\"],\"subnetCidr\":\"10.0.$((127 + i)).0/24\",\"ipv4Prefixes\":[\"10.0.$((127 + i)).16/28\"]}"
    ifs+="interface 0 $i multus$((i - 1))"$'\n'
  done
  nets='network 0 1 default-bench.conf 10.0.128.0/24 0 1 {"cniVersion":"1.0.0","name":"bench","type":"ipvlan","master":"multus0","mode":"l2","ipam":{"type":"host-local","ranges":[],"routes":[{"dst":"10.0.0.0/16","gw":"10.0.128.1"}]}}'
  printf '{"primaryMac":"02:00:00:00:00:01","interfaces":[{"mac":"02:00:00:00:00:01","deviceNumber":0,"localIpv4s":["10.0.0.10"],"subnetCidr":"10.0.0.0/24"}%s]}\n' "$enis" >"$WORK/imds.json"
  # The node config in lib/node's format (renderNodeConfig; docs/node-setup.md).
  printf 'format multinic.dev/node-config/v2\nnodeGroup bench\nmtu 9001\n%s%s\n' "$ifs" "$nets" >"$WORK/node.conf"
  rm -rf "$WORK/state" "$WORK/cni" "$WORK/network"
  ip netns exec "$NS" node "$MOCK" --fixture "$WORK/imds.json" --host 127.0.0.1 --port "$PORT" >"$WORK/mock.log" 2>&1 &
  MOCK_PID=$!
  local tries
  for ((tries = 0; tries < 100; tries++)); do
    if [[ -s $WORK/mock.log ]]; then break; fi
    sleep 0.05
  done
  [[ -s $WORK/mock.log ]] || { echo "mock IMDS did not start" >&2; exit 1; }
}

cleanup_ns() {
  if [[ -n $MOCK_PID ]]; then
    kill "$MOCK_PID" 2>/dev/null || true
    wait "$MOCK_PID" 2>/dev/null || true
    MOCK_PID=''
  fi
  ip netns del "$NS" 2>/dev/null || true
  ip netns del "${NS}v" 2>/dev/null || true
}

# run_ms: run the script once in the node namespace, print its wall time in milliseconds
run_ms() {
  local t0 t1
  t0=$EPOCHREALTIME
  ip netns exec "$NS" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    MULTINIC_IMDS_ENDPOINT="http://127.0.0.1:$PORT" MULTINIC_NODE_CONFIG="$WORK/node.conf" \
    MULTINIC_CNI_DIR="$WORK/cni" MULTINIC_LINK_DIR="$WORK/network" MULTINIC_STATE_DIR="$WORK/state" \
    MULTINIC_RUN_DIR="$WORK/run" "$SCRIPT" 2>"$WORK/run.log"
  t1=$EPOCHREALTIME
  echo $(((${t1/./} - ${t0/./}) / 1000))
}

STATS=''
stats() { # stats VALUES...: STATS = "median X ms, worst Y ms"
  local sorted
  sorted=$(printf '%s\n' "$@" | sort -n)
  local -a v
  mapfile -t v <<<"$sorted"
  STATS="median ${v[$((${#v[@]} / 2))]} ms, worst ${v[-1]} ms"
}

echo "multinic-eni.sh, $ROUNDS rounds per ENI count (first run: configure everything; second run: no change)"
for count in 1 7; do
  first=() second=()
  for ((round = 0; round < ROUNDS; round++)); do
    setup "$count"
    first+=("$(run_ms)")
    second+=("$(run_ms)")
  done
  stats "${first[@]}"
  line="$count ENI(s): first run $STATS"
  stats "${second[@]}"
  echo "$line; second run $STATS"
done
