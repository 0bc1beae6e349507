# shellcheck shell=sh
# The VM test's suite, run by busybox sh inside the guest (test/vm/vm.sh). Data in this directory, written by
# test/vm/vm.test.ts:
#   env          ENI facts: NODES="a b", and per node X: X_MAC, X_IP (the ENI's primary address)
#   vpc.nft      the VPC model (test/vm/vpc-model.ts)
#   pods.txt     "group node pod config type" lines: pods to ADD for the connectivity cases, by group
#   pings.txt    "group case from-pod to" lines; to is an address or pod:<name> (that pod's address)
#   nads.txt     "name config type" lines: configs that get ADD / CHECK / DEL
# Prints one line per case: RESULT <case> key=value...
set -u
# shellcheck source=/dev/null
. ./env
CNI_BIN=/usr/lib/cni
# Debian's busybox sh runs its own applets before anything in PATH: the real ip (with netns) and nft by path.
ip() { /usr/local/sbin/ip "$@"; }
nft() { /usr/local/sbin/nft "$@"; }

counter() { ip netns exec vpc nft list counter bridge vpc "$1" | sed -n 's/.*packets \([0-9]*\).*/\1/p'; }
counters() { echo "src_mac=$(counter src_mac_unknown) src_ip=$(counter src_ip_unassigned) dst_ip=$(counter dst_ip_unassigned)"; }

# cni COMMAND NODE POD CONTAINERID CONFIGFILE TYPE: run a plugin as a runtime would, from the node's namespace.
cni() {
  ip netns exec "$2" env -i CNI_COMMAND="$1" CNI_CONTAINERID="$4" CNI_NETNS="/var/run/netns/$3" CNI_IFNAME=net1 \
    CNI_PATH="$CNI_BIN" "$CNI_BIN/$6" <"$5"
}

# --- the VPC: a bridge whose ports are the nodes' ENIs, and the nftables rules of the VPC -----------------------
ip netns add vpc
ip -n vpc link set lo up
ip -n vpc link add br0 type bridge
ip -n vpc link set br0 up
for n in $NODES; do
  mac=$(eval "echo \$${n}_MAC")
  ip=$(eval "echo \$${n}_IP")
  ip netns add "node$n"
  ip -n "node$n" link set lo up
  ip link add multus0 netns "node$n" address "$mac" type veth peer name "p$n" netns vpc
  ip -n vpc link set "p$n" master br0 up
  ip -n "node$n" addr add "$ip/24" dev multus0 noprefixroute
  ip -n "node$n" link set multus0 up
done
if out=$(ip netns exec vpc nft -f /suite/vpc.nft 2>&1); then
  echo "RESULT vpc-model loaded=1"
else
  echo "RESULT vpc-model loaded=0 error=$(echo "$out" | tr '\n' ' ' | cut -c1-300)"
fi

# --- connectivity cases -----------------------------------------------------------------------------------------
# Pods are added per case group; a group's pods are deleted before the next group (macvlan and ipvlan cannot share
# a master at the same time).
run_group() { # run_group GROUP
  group=$1
  grep "^$group " pods.txt | while read -r _ node pod conf type; do
    ip netns add "$pod"
    ip -n "$pod" link set lo up
    if out=$(cni ADD "node$node" "$pod" "$pod" "$conf" "$type" 2>&1); then
      addr=$(echo "$out" | sed -n 's/.*"address": *"\([0-9.]*\)\/.*/\1/p' | head -n 1)
      echo "$addr" >"/tmp/addr.$pod"
      echo "RESULT add:$pod ok=1 address=$addr"
    else
      echo "RESULT add:$pod ok=0 error=$(echo "$out" | tr -d '\n' | cut -c1-200)"
    fi
  done
  grep "^$group " pings.txt | while read -r _ case from to; do
    case $to in pod:*) to=$(cat "/tmp/addr.${to#pod:}" 2>/dev/null || echo 0.0.0.0) ;; esac
    before=$(counters)
    if ip netns exec "$from" ping -c 2 -W 1 -w 3 "$to" >/dev/null 2>&1; then ok=1; else ok=0; fi
    echo "RESULT $case ping=$ok before: $before after: $(counters)"
  done
  grep "^$group " pods.txt | while read -r _ node pod conf type; do
    cni DEL "node$node" "$pod" "$pod" "$conf" "$type" >/dev/null 2>&1 || echo "RESULT del:$pod ok=0"
    ip netns del "$pod"
  done
}
for g in $(cut -d' ' -f1 pods.txt | uniq); do
  if [ "$g" = macvlan-no-mac-rule ]; then
    # Control: without the source-MAC rule the macvlan pair gets through, so that rule is what stops it.
    ip netns exec vpc nft flush chain bridge vpc source_mac
  fi
  run_group "$g"
done

# --- every ipvlan NAD: ADD, CHECK (with the ADD result as prevResult), DEL ------------------------------------
while read -r name conf type; do
  pod="nad-$name"
  ip netns add "$pod"
  add=1 check=1 del=1 err=''
  if res=$(cni ADD nodea "$pod" "$pod" "$conf" "$type" 2>&1); then add=0; else err="add: $res"; fi
  if [ $add = 0 ]; then
    body=$(cat "$conf")
    printf '%s,"prevResult":%s}' "${body%\}}" "$res" >"/tmp/$name.check"
    if out=$(cni CHECK nodea "$pod" "$pod" "/tmp/$name.check" "$type" 2>&1); then check=0; else err="check: $out"; fi
  fi
  if out=$(cni DEL nodea "$pod" "$pod" "$conf" "$type" 2>&1); then del=0; else err="del: $out"; fi
  left=$(ip -n nodea -o link show | grep -c '@multus0' || true)
  echo "RESULT nad:$name add=$add check=$check del=$del children_left=$left error=$(echo "$err" | tr -d '\n' | cut -c1-200)"
  ip netns del "$pod"
done <nads.txt
