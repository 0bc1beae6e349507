#!/usr/bin/env bash
# multinic-eni.sh: give every secondary ENI of this EC2 node its stable name, addresses and policy routing, and
# write the per-node CNI configs whose pod addresses come from the ENI's delegated /28 prefixes.
#
# multinic owns the secondary ENIs on its nodes (docs/node-setup.md, "Who owns a secondary ENI"). This script is
# the only thing that configures them. It is idempotent (a second run changes nothing), converges after a partial
# failure, never touches the primary ENI or the main routing table, and logs one line per ENI.
#
# This file is the entry point: settings, the order of the steps and one ENI's configuration. Each step lives in a
# part of its own under eni/ next to it (eni/constants.sh is generated from lib/node/eni-contract.ts). On a node the
# parts are inlined into one file (infra/eni-script.ts), so user data installs a single script.
#
# Tools: bash, curl, iproute2, coreutils, awk (mawk is enough). Nothing else.
#
# Usage: multinic-eni.sh [--dry-run] [--config FILE]
#   --dry-run      print the commands that would change the node (on stdout), change nothing
#   --config FILE  node config (default: $MULTINIC_NODE_CONFIG or /etc/multinic/node.conf)
#
# Environment (defaults in brackets):
#   MULTINIC_IMDS_ENDPOINT     [http://169.254.169.254]  IMDSv2 base URL
#   MULTINIC_NODE_CONFIG       [/etc/multinic/node.conf] written by user data (format: docs/node-setup.md)
#   MULTINIC_CNI_DIR           [/etc/cni/multus/net.d]   where Multus reads per-node CNI configs
#   MULTINIC_LINK_DIR          [/etc/systemd/network]    where the .link files that pin names go
#   MULTINIC_UDEV_DIR          [/etc/udev/rules.d]       where the udev rules that pin names go (see below)
#   MULTINIC_STATE_DIR         [/var/lib/multinic]       list of files this script wrote (to remove stale ones)
#   MULTINIC_RUN_DIR           [/run/multinic]           lock directory (runs from udev and boot serialize), and
#                                                        the marker eni-ready, written when a run configured every
#                                                        ENI and removed when one failed (lib/readiness.ts)
#   MULTINIC_IMDS_ATTEMPTS     [10]  attempts per IMDS request (connection errors, 5xx; 404 on device-number)
#   MULTINIC_IMDS_RETRY_DELAY  [1]   seconds between attempts (fractions allowed)
#   MULTINIC_IMDS_TIMEOUT      [2]   seconds per attempt (connect and transfer)
#   MULTINIC_NIC_WAIT          [30]  seconds to wait for the NIC of an ENI that IMDS lists
#   MULTINIC_LOCK_WAIT         [120] seconds to wait for another run to finish
#   MULTINIC_SYSTEMCTL         [systemctl] how to reach systemd (stops amazon-ec2-net-utils' units on our ENIs)
#   So with IMDS down the script gives up after at most ATTEMPTS x (TIMEOUT + RETRY_DELAY) seconds.
#
# Exit status: 0 all ENIs configured; 1 at least one ENI failed (the others are configured); 2 usage or node
# config error; 3 IMDS unreachable or answering nonsense; 4 lock not acquired.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
shopt -s nullglob

readonly PROG=multinic-eni
log() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() { local code=$1; shift; log "error: $*"; exit "$code"; }

# The parts, in order (infra/eni-script.ts inlines exactly these lines; keep one `. "$ENI_PARTS/<part>.sh"` a line).
ENI_PARTS=$(dirname -- "${BASH_SOURCE[0]}")/eni
# shellcheck source=eni/constants.sh
. "$ENI_PARTS/constants.sh"
# shellcheck source=eni/changes.sh
. "$ENI_PARTS/changes.sh"
# shellcheck source=eni/ipv4.sh
. "$ENI_PARTS/ipv4.sh"
# shellcheck source=eni/node-config.sh
. "$ENI_PARTS/node-config.sh"
# shellcheck source=eni/imds.sh
. "$ENI_PARTS/imds.sh"
# shellcheck source=eni/enis.sh
. "$ENI_PARTS/enis.sh"
# shellcheck source=eni/names.sh
. "$ENI_PARTS/names.sh"
# shellcheck source=eni/routing.sh
. "$ENI_PARTS/routing.sh"
# shellcheck source=eni/cni.sh
. "$ENI_PARTS/cni.sh"
# shellcheck source=eni/state.sh
. "$ENI_PARTS/state.sh"
# shellcheck source=eni/lock.sh
. "$ENI_PARTS/lock.sh"

IMDS=${MULTINIC_IMDS_ENDPOINT:-http://169.254.169.254}
NODE_CONFIG=${MULTINIC_NODE_CONFIG:-$DEFAULT_NODE_CONFIG}
CNI_DIR=${MULTINIC_CNI_DIR:-$DEFAULT_CNI_DIR}
LINK_DIR=${MULTINIC_LINK_DIR:-$DEFAULT_LINK_DIR}
UDEV_DIR=${MULTINIC_UDEV_DIR:-$DEFAULT_UDEV_DIR}
STATE_DIR=${MULTINIC_STATE_DIR:-$DEFAULT_STATE_DIR}
RUN_DIR=${MULTINIC_RUN_DIR:-$DEFAULT_RUN_DIR}
IMDS_ATTEMPTS=${MULTINIC_IMDS_ATTEMPTS:-10}
IMDS_RETRY_DELAY=${MULTINIC_IMDS_RETRY_DELAY:-1}
IMDS_TIMEOUT=${MULTINIC_IMDS_TIMEOUT:-2}
NIC_WAIT=${MULTINIC_NIC_WAIT:-30}
LOCK_WAIT=${MULTINIC_LOCK_WAIT:-120}
SYSTEMCTL=${MULTINIC_SYSTEMCTL:-systemctl}
DRY_RUN=0

# configure_eni MAC: pin its name, converge its link, addresses, table and rules, write its per-node CNI configs,
# and log one line; a failure marks the ENI failed (fail_eni) and the run goes on with the others.
configure_eni() {
  local mac=$1 dev card table subnet='' gw='' plen before=$CHANGES
  dev=${E_NAME[$mac]} card=${E_CARD[$mac]} table=${E_TABLE[$mac]}
  [[ -z ${E_WANT[$mac]} ]] || pin_name "$mac"
  configure_link "$dev"
  if [[ -n ${E_SUBNET[$mac]} ]]; then
    cidr_bounds "${E_SUBNET[$mac]}"
    plen=${E_SUBNET[$mac]#*/} subnet="$FIRST/${E_SUBNET[$mac]#*/}"
    ip2int "$FIRST"
    int2ip $((INT + 1))
    gw=$IP
    configure_addresses "$dev" "$plen" "${E_IPS[$mac]}"
    configure_routes "$dev" "$table" "$subnet" "$gw"
  fi
  configure_rules "$table" "${E_IPS[$mac]} ${E_PREFIXES[$mac]}"
  flush_ip
  if [[ -n $FLUSH_ERROR ]]; then
    fail_eni "$mac" "ip -batch failed: $FLUSH_ERROR"
    return 0
  fi
  write_cni_configs "$mac" "$subnet" "$gw"
  local ips=${E_IPS[$mac]// /,} pfx=${E_PREFIXES[$mac]// /,}
  log "$dev mac=$mac card=$card device=${E_DEV[$mac]} table=$table ipv4=${ips:--} prefixes=${pfx:--} cni=${CNI_FILES:--} changes=$((CHANGES - before))"
}

usage() {
  awk 'NR > 1 && /^set -euo/ { exit } NR > 1 && !/^# shellcheck / { sub(/^# ?/, ""); print }' "$0"
}

main() {
  while (($#)); do
    case $1 in
      --dry-run) DRY_RUN=1 ;;
      --config)
        (($# >= 2)) || die 2 "--config needs a file"
        NODE_CONFIG=$2
        shift
        ;;
      -h | --help) usage; exit 0 ;;
      *) die 2 "unknown argument \"$1\" (usage: $PROG [--dry-run] [--config FILE])" ;;
    esac
    shift
  done
  load_config
  trap cleanup EXIT
  ((DRY_RUN)) || acquire_lock
  TMP=$(mktemp -d "${TMPDIR:-/tmp}/multinic-eni.XXXXXX")
  load_manifest
  get_token
  read_enis
  wait_for_nics
  release_from_ec2_net_utils
  rename_links
  flush_ip
  scan_state
  local mac
  for mac in "${ENI_MACS[@]}"; do
    [[ -n ${E_FAILED[$mac]:-} ]] && continue
    configure_eni "$mac"
  done
  if ((FAILURES)); then
    log "$FAILURES ENI(s) failed, so this run removes nothing; rerun to converge"
  else
    cleanup_stale
  fi
  save_manifest
  local note=''
  ((DRY_RUN)) && note=' (dry run: none made)'
  log "done: ${#ENI_MACS[@]} secondary ENI(s), $FAILURES failed, $CHANGES change(s)$note"
  ((DRY_RUN)) || mark_ready
  ((FAILURES == 0)) || exit 1
}

main "$@"
