#!/bin/bash
# Turns the EC2 source/destination check off on the secondary ENIs whose intent says so (interfaces[].sourceDestCheck:
# false), by device index. Needs ec2:ModifyNetworkInterfaceAttribute, granted only to such node groups and only on
# this cluster's ENIs. Addresses inside delegated prefixes pass the check anyway, so most groups skip this step.
set -euo pipefail
# shellcheck source=lib.sh
. "${MULTINIC_LIB:-/usr/local/lib/multinic}/lib.sh"

want=${SOURCE_DEST_CHECK_OFF:-}
if [ -z "$want" ]; then
  exit 0
fi
done_count=0
for mac in $(retry 10 3 imds network/interfaces/macs/); do
  mac=${mac%/}
  device=$(retry 10 3 imds "network/interfaces/macs/$mac/device-number")
  for index in $want; do
    if [ "$device" = "$index" ]; then
      eni=$(retry 10 3 imds "network/interfaces/macs/$mac/interface-id")
      log "source/destination check off on $eni (device index $index)"
      retry 5 5 aws ec2 modify-network-interface-attribute --network-interface-id "$eni" --no-source-dest-check
      done_count=$((done_count + 1))
    fi
  done
done
expected=$(wc -w <<<"$want")
if [ "$done_count" -ne "$expected" ]; then
  die "source/destination check: found $done_count of $expected ENIs (device indexes: $want)"
fi
