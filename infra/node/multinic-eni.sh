#!/usr/bin/env bash
# multinic-eni.sh: give every secondary ENI of this EC2 node its stable name, addresses and policy routing, and
# write the per-node CNI configs whose pod addresses come from the ENI's delegated /28 prefixes.
#
# multinic owns the secondary ENIs on its nodes (docs/node-setup.md, "Who owns a secondary ENI"). This script is
# the only thing that configures them. It is idempotent (a second run changes nothing), converges after a partial
# failure, never touches the primary ENI or the main routing table, and logs one line per ENI.
#
# Tools: bash, curl, iproute2, coreutils, awk (mawk is enough). Nothing else.
#
# Usage: multinic-eni.sh [--dry-run] [--config FILE]
#   --dry-run      print the commands that would change the node (on stdout), change nothing
#   --config FILE  node config JSON (default: $MULTINIC_NODE_CONFIG or /etc/multinic/node.json)
#
# Environment (defaults in brackets):
#   MULTINIC_IMDS_ENDPOINT     [http://169.254.169.254]  IMDSv2 base URL
#   MULTINIC_NODE_CONFIG       [/etc/multinic/node.json] written by user data (format: docs/node-setup.md)
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
set -euo pipefail
shopt -s nullglob

readonly PROG=multinic-eni
readonly TABLE_BASE=10000 # route table of an ENI = 10000 + 100 x network card + device index (as amazon-ec2-net-utils)
readonly TABLE_MAX=11599  # card 15, device 99: anything in (TABLE_BASE, TABLE_MAX] is ours
readonly NET_ADDR_STOLEN=2 # /sys/class/net/X/addr_assign_type of ipvlan/vlan children that share the ENI's MAC

IMDS=${MULTINIC_IMDS_ENDPOINT:-http://169.254.169.254}
NODE_CONFIG=${MULTINIC_NODE_CONFIG:-/etc/multinic/node.json}
CNI_DIR=${MULTINIC_CNI_DIR:-/etc/cni/multus/net.d}
LINK_DIR=${MULTINIC_LINK_DIR:-/etc/systemd/network}
UDEV_DIR=${MULTINIC_UDEV_DIR:-/etc/udev/rules.d}
STATE_DIR=${MULTINIC_STATE_DIR:-/var/lib/multinic}
RUN_DIR=${MULTINIC_RUN_DIR:-/run/multinic}
IMDS_ATTEMPTS=${MULTINIC_IMDS_ATTEMPTS:-10}
IMDS_RETRY_DELAY=${MULTINIC_IMDS_RETRY_DELAY:-1}
IMDS_TIMEOUT=${MULTINIC_IMDS_TIMEOUT:-2}
NIC_WAIT=${MULTINIC_NIC_WAIT:-30}
LOCK_WAIT=${MULTINIC_LOCK_WAIT:-120}
SYSTEMCTL=${MULTINIC_SYSTEMCTL:-systemctl}
DRY_RUN=0

log() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() { local code=$1; shift; log "error: $*"; exit "$code"; }

# ---------------------------------------------------------------------------------------------------------------
# Changing the node: every change goes through ipq()/flush_ip(), write_file(), remove_file() or set_sysctl(), so
# --dry-run prints exactly those. ip commands are queued and applied with one `ip -batch` per ENI: an ip process
# costs about 10 ms, and seven ENIs need over a hundred commands on the first run.
# ---------------------------------------------------------------------------------------------------------------
CHANGES=0
BATCH=''
FLUSH_ERROR=''
ipq() { # ipq ARGS...: queue `ip ARGS...`
  CHANGES=$((CHANGES + 1))
  BATCH+="$*"$'\n'
}
flush_ip() { # apply the queued ip commands in order; FLUSH_ERROR is empty on success
  FLUSH_ERROR=''
  [[ -n $BATCH ]] || return 0
  local line out rc=0
  if ((DRY_RUN)); then
    while read -r line; do [[ -z $line ]] || printf 'ip %s\n' "$line"; done <<<"$BATCH"
  else
    out=$(ip -batch - <<<"$BATCH" 2>&1) || rc=$?
    ((rc == 0)) || FLUSH_ERROR=${out//$'\n'/; }
  fi
  BATCH=''
}

# write_file PATH CONTENT: atomically replace PATH if its content differs (CONTENT gets a trailing newline).
write_file() {
  local path=$1 content=$2 current=''
  if [[ -f $path ]]; then current=$(<"$path"); fi
  [[ $current == "$content" ]] && return 0
  CHANGES=$((CHANGES + 1))
  if ((DRY_RUN)); then
    printf 'write %s\n' "$path"
    return 0
  fi
  mkdir -p "${path%/*}"
  printf '%s\n' "$content" >"$path.tmp.$$"
  mv -f "$path.tmp.$$" "$path"
}

remove_file() {
  [[ -e $1 ]] || return 0
  CHANGES=$((CHANGES + 1))
  if ((DRY_RUN)); then
    printf 'rm -f %s\n' "$1"
  else
    rm -f "$1"
  fi
}

set_sysctl() { # set_sysctl PATH VALUE (PATH under /proc/sys, which is per network namespace)
  local path=$1 value=$2 current=''
  if [[ -r $path ]]; then current=$(<"$path"); fi
  [[ $current == "$value" ]] && return 0
  CHANGES=$((CHANGES + 1))
  if ((DRY_RUN)); then
    printf 'echo %s > %s\n' "$value" "$path"
  else
    printf '%s\n' "$value" >"$path"
  fi
}

# ---------------------------------------------------------------------------------------------------------------
# IPv4 arithmetic
# ---------------------------------------------------------------------------------------------------------------
# Results come back in globals (VALID, INT, IP, FIRST, LAST) rather than exit codes or stdout: a function used as
# a condition runs with set -e off, and a command substitution hides its failure.
VALID=0 INT=0 IP='' FIRST='' LAST=''
check_ipv4() {
  VALID=0
  [[ $1 =~ ^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$ ]] || return 0
  ((BASH_REMATCH[1] <= 255 && BASH_REMATCH[2] <= 255 && BASH_REMATCH[3] <= 255 && BASH_REMATCH[4] <= 255)) || return 0
  VALID=1
}
check_cidr() {
  VALID=0
  [[ $1 =~ ^[0-9.]+/([0-9]{1,2})$ ]] && ((BASH_REMATCH[1] <= 32)) || return 0
  check_ipv4 "${1%/*}"
}
ip2int() { local a b c d; IFS=. read -r a b c d <<<"$1"; INT=$(((a << 24) | (b << 16) | (c << 8) | d)); }
int2ip() { IP="$((($1 >> 24) & 255)).$((($1 >> 16) & 255)).$((($1 >> 8) & 255)).$(($1 & 255))"; }
cidr_bounds() { # cidr_bounds CIDR: FIRST (network address) and LAST (broadcast address) of CIDR
  local mask first
  ip2int "${1%/*}"
  mask=$(((0xffffffff << (32 - ${1#*/})) & 0xffffffff))
  first=$((INT & mask))
  int2ip "$first"
  FIRST=$IP
  int2ip $((first | (~mask & 0xffffffff)))
  LAST=$IP
}

# ---------------------------------------------------------------------------------------------------------------
# Node config (format: docs/node-setup.md). One interface or network object per line, so awk can read it.
# ---------------------------------------------------------------------------------------------------------------
MTU=''
declare -A IF_NAME=()  # "card:device" -> interface name
declare -a NET_KEYS=() # "card:device" of each network, same order as the lists below
declare -a NET_FILES=() NET_SUBNETS=() NET_CONFIGS=() NET_OFFSETS=() NET_COUNTS=()

load_config() {
  [[ -r $NODE_CONFIG ]] || die 2 "node config $NODE_CONFIG: cannot read it; user data writes it (docs/node-setup.md)"
  local parsed
  # Assigned first: a failing command substitution in a for list or a process substitution would not stop us.
  parsed=$(awk '
    function num(s, k) { if (match(s, "\"" k "\":[0-9]+")) return substr(s, RSTART + length(k) + 3, RLENGTH - length(k) - 3); return "-" }
    function str(s, k) { if (match(s, "\"" k "\":\"[^\"]*\"")) return substr(s, RSTART + length(k) + 4, RLENGTH - length(k) - 5); return "-" }
    /^  "mtu": [0-9]+,?$/ { v = $2; sub(/,$/, "", v); print "mtu", v; next }
    /^  "(interfaces|networks)": \[\],?$/ { sec = ""; next }
    /^  "interfaces": \[$/ { sec = "if"; next }
    /^  "networks": \[$/ { sec = "net"; next }
    /^  \]/ { sec = ""; next }
    !/^    \{/ { next }
    sec == "if" { print "if", NR, num($0, "networkCard"), num($0, "deviceIndex"), "-", "-", "-", "-", str($0, "name"); next }
    sec == "net" {
      i = index($0, ",\"config\":"); if (i == 0) { print "bad", NR; next }
      head = substr($0, 1, i - 1); cfg = substr($0, i + 10)
      sub(/,$/, "", cfg); sub(/}$/, "", cfg)
      print "net", NR, num(head, "networkCard"), num(head, "deviceIndex"), str(head, "file"), str(head, "subnet"), num(head, "prefixOffset"), num(head, "prefixCount"), cfg
    }' "$NODE_CONFIG")
  local kind line card dev a b off cnt rest where
  while read -r kind line card dev a b off cnt rest; do
    where="node config $NODE_CONFIG line $line"
    case $kind in
      mtu) MTU=$line ;;
      bad) die 2 "$where: a network object must end with its \"config\" key" ;;
      if | net)
        [[ $card =~ ^[0-9]+$ && $dev =~ ^[0-9]+$ ]] || die 2 "$where: networkCard and deviceIndex must be numbers"
        ;;&
      if) # the name comes last, so a name with spaces arrives whole (and is refused)
        [[ $rest =~ ^[A-Za-z0-9_.-]{1,15}$ && $rest != . && $rest != .. ]] ||
          die 2 "$where: interface name \"$rest\" is not a valid Linux name (1-15 of A-Z a-z 0-9 _ . -)"
        IF_NAME[$card:$dev]=$rest
        ;;
      net)
        [[ $a =~ ^[a-z0-9][a-z0-9.-]*\.(conf|conflist)$ ]] || die 2 "$where: file \"$a\" must be a plain <namespace>-<name>.conf or .conflist"
        check_cidr "$b"
        ((VALID)) || die 2 "$where: subnet \"$b\" is not an IPv4 CIDR"
        [[ $off =~ ^[0-9]+$ && $cnt =~ ^[1-9][0-9]*$ ]] || die 2 "$where: prefixOffset and prefixCount must be numbers (count at least 1)"
        [[ $rest == '{'*'"ranges":[]'*'}' ]] || die 2 "$where: config must be a JSON object holding \"ranges\":[]"
        NET_KEYS+=("$card:$dev") NET_FILES+=("$a") NET_SUBNETS+=("$b") NET_CONFIGS+=("$rest") NET_OFFSETS+=("$off") NET_COUNTS+=("$cnt")
        ;;
      *) ;;
    esac
  done <<<"$parsed"
  [[ $MTU =~ ^[0-9]+$ ]] || die 2 "node config $NODE_CONFIG: no \"mtu\" line (expected '  \"mtu\": 9001,')"
}

# ---------------------------------------------------------------------------------------------------------------
# IMDSv2
# ---------------------------------------------------------------------------------------------------------------
TOKEN='' BODY='' CODE='' LAST_ERROR=''

# http METHOD PATH [curl args...]: one attempt; sets BODY and CODE (000 when curl itself failed).
http() {
  local method=$1 path=$2 out rc=0
  shift 2
  out=$(curl -sS --noproxy '*' --connect-timeout "$IMDS_TIMEOUT" --max-time "$IMDS_TIMEOUT" -X "$method" "$@" \
    -w '\n%{http_code}' "$IMDS$path" 2>&1) || rc=$?
  if ((rc != 0)); then
    LAST_ERROR="curl exit $rc: ${out%%$'\n'*}"
    BODY='' CODE=000
    return 0
  fi
  BODY=${out%$'\n'*} CODE=${out##*$'\n'}
}

get_token() {
  local attempt
  for ((attempt = 1; attempt <= IMDS_ATTEMPTS; attempt++)); do
    http PUT /latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 300'
    if [[ $CODE == 200 && -n $BODY ]]; then
      TOKEN=$BODY
      return 0
    fi
    [[ $CODE == 000 ]] || LAST_ERROR="HTTP $CODE on PUT /latest/api/token"
    ((attempt == IMDS_ATTEMPTS)) || sleep "$IMDS_RETRY_DELAY"
  done
  die 3 "IMDS unreachable at $IMDS after $IMDS_ATTEMPTS attempts ($LAST_ERROR); is the metadata service enabled with IMDSv2?"
}

# fetch KEY...: GET every meta-data KEY in one curl process over one connection (a curl process costs about 30 ms);
# sets R_CODE[i] (200 or 404) and R_BODY[i] in KEY order. The whole set is retried while an answer is anything
# else (401: with a new token); after IMDS_ATTEMPTS the run ends with exit 3.
declare -a R_CODE=() R_BODY=()
fetch() {
  local -a keys=("$@") args=()
  local attempt i out rc bad
  for ((attempt = 1; ; attempt++)); do
    args=()
    for i in "${!keys[@]}"; do
      : >"$TMP/body.$i" # curl may not create the file for an empty body: never read an older answer
      args+=(-o "$TMP/body.$i" "$IMDS/latest/meta-data/${keys[$i]}")
    done
    rc=0
    out=$(curl -sS --noproxy '*' --connect-timeout "$IMDS_TIMEOUT" --max-time "$IMDS_TIMEOUT" \
      -H "X-aws-ec2-metadata-token: $TOKEN" -w '%{http_code}\n' "${args[@]}" 2>"$TMP/curl.err") || rc=$?
    mapfile -t R_CODE <<<"$out"
    R_BODY=() bad=''
    for i in "${!keys[@]}"; do
      R_BODY[i]=''
      case ${R_CODE[i]:-000} in
        200) read -r -d '' "R_BODY[i]" <"$TMP/body.$i" || true ;;
        404) ;;
        *) bad="HTTP ${R_CODE[i]:-000} on GET meta-data/${keys[i]}" ;;
      esac
    done
    [[ -n $bad ]] || return 0
    if ((rc != 0)); then
      read -r -d '' out <"$TMP/curl.err" || true
      bad="curl exit $rc: ${out%%$'\n'*}"
    fi
    ((attempt < IMDS_ATTEMPTS)) || die 3 "IMDS at $IMDS: no answer after $IMDS_ATTEMPTS attempts ($bad)"
    [[ $bad != *"HTTP 401 "* ]] || get_token # the token expired
    sleep "$IMDS_RETRY_DELAY"
  done
}

# ---------------------------------------------------------------------------------------------------------------
# Links
# ---------------------------------------------------------------------------------------------------------------
declare -A LINK_BY_MAC=() # mac -> name of the physical link (not an ipvlan/vlan child that shares the MAC)
declare -A MAC_BY_LINK=() # name -> mac, every link
SYS=''

sys_read() { # sys_read PATH: SYS = the file's content, empty when it cannot be read
  SYS=''
  if [[ -r $1 ]]; then SYS=$(<"$1"); fi
}

scan_links() {
  LINK_BY_MAC=() MAC_BY_LINK=()
  local listing name mac
  listing=$(ip -o link show)
  listing=$(awk '{ n = $2; sub(/:$/, "", n); sub(/@.*/, "", n); for (i = 3; i < NF; i++) if ($i == "link/ether") print n, $(i + 1) }' <<<"$listing")
  while read -r name mac; do
    [[ -n $name ]] || continue
    MAC_BY_LINK[$name]=$mac
    sys_read "/sys/class/net/$name/addr_assign_type"
    [[ $SYS == "$NET_ADDR_STOLEN" ]] || LINK_BY_MAC[$mac]=$name
  done <<<"$listing"
}

# ---------------------------------------------------------------------------------------------------------------
# Per-ENI facts from IMDS
# ---------------------------------------------------------------------------------------------------------------
declare -a ENI_MACS=()
declare -A E_CARD=() E_DEV=() E_TABLE=() E_IPS=() E_SUBNET=() E_PREFIXES=() E_NAME=() E_WANT=() E_FAILED=()
FAILURES=0

fail_eni() { # fail_eni MAC REASON
  [[ -n ${E_FAILED[$1]:-} ]] || FAILURES=$((FAILURES + 1))
  E_FAILED[$1]=$2
  log "${E_NAME[$1]:-${E_WANT[$1]:-?}} mac=$1 FAILED: $2"
}

words() { # words TEXT: WORDS = TEXT's whitespace-separated words joined by one space
  local -a w
  read -r -d '' -a w <<<"$1" || true
  WORDS=${w[*]}
}
WORDS=''

readonly ENI_KEYS=(device-number network-card local-ipv4s subnet-ipv4-cidr-block ipv4-prefix)

read_enis() {
  local primary mac dev card ips subnet prefixes p j attempt ip
  local -a pending=() next=() keys=() listed=()
  fetch mac network/interfaces/macs/
  [[ ${R_CODE[0]} == 200 && ${R_CODE[1]} == 200 ]] || die 3 "IMDS at $IMDS: meta-data/mac or meta-data/network/interfaces/macs/ is missing"
  primary=${R_BODY[0],,}
  read -r -d '' -a listed <<<"${R_BODY[1]}" || true
  for mac in "${listed[@]}"; do
    mac=${mac%/} mac=${mac,,}
    [[ $mac =~ ^[0-9a-f]{2}(:[0-9a-f]{2}){5}$ ]] || die 3 "IMDS at $IMDS: \"$mac\" in network/interfaces/macs/ is not a MAC address"
    [[ $mac == "$primary" ]] || pending+=("$mac")
  done
  ENI_MACS=("${pending[@]}")
  # device-number answers 404 for a while after a hot attach: ask again for those, up to IMDS_ATTEMPTS times.
  for ((attempt = 1; ${#pending[@]} > 0; attempt++)); do
    keys=()
    for mac in "${pending[@]}"; do
      for p in "${ENI_KEYS[@]}"; do keys+=("network/interfaces/macs/$mac/$p"); done
    done
    fetch "${keys[@]}"
    next=()
    for j in "${!pending[@]}"; do
      mac=${pending[j]}
      p=$((j * ${#ENI_KEYS[@]}))
      if [[ ${R_CODE[p]} == 404 ]]; then
        next+=("$mac")
        continue
      fi
      dev=${R_BODY[p]} card=${R_BODY[p + 1]:-0} # network-card: 404 on single-card instance types, meaning card 0
      ips=${R_BODY[p + 2]} subnet=${R_BODY[p + 3]} prefixes=${R_BODY[p + 4]} # 404 (empty): IPv6-only / no prefix
      [[ $dev =~ ^[0-9]+$ && $card =~ ^[0-9]+$ ]] || die 3 "IMDS at $IMDS: $mac has device-number \"$dev\", network-card \"$card\""
      if [[ -n $ips ]]; then
        check_cidr "$subnet"
        ((VALID)) || die 3 "IMDS at $IMDS: $mac has addresses but subnet-ipv4-cidr-block is \"$subnet\""
      else
        subnet=''
      fi
      words "$ips"
      E_IPS[$mac]=$WORDS
      for ip in $WORDS; do
        check_ipv4 "$ip"
        ((VALID)) || die 3 "IMDS at $IMDS: $mac local-ipv4s holds \"$ip\""
      done
      words "$prefixes"
      E_PREFIXES[$mac]=$WORDS
      for ip in $WORDS; do
        check_cidr "$ip"
        ((VALID)) || die 3 "IMDS at $IMDS: $mac ipv4-prefix holds \"$ip\""
      done
      E_CARD[$mac]=$card E_DEV[$mac]=$dev E_TABLE[$mac]=$((TABLE_BASE + 100 * card + dev))
      E_SUBNET[$mac]=$subnet E_WANT[$mac]=${IF_NAME[$card:$dev]:-}
    done
    pending=("${next[@]}")
    ((${#pending[@]} > 0)) || break
    if ((attempt >= IMDS_ATTEMPTS)); then
      for mac in "${pending[@]}"; do fail_eni "$mac" "IMDS has no device-number for it after $IMDS_ATTEMPTS attempts"; done
      break
    fi
    sleep "$IMDS_RETRY_DELAY"
  done
}

# Wait (bounded) until every ENI that IMDS lists has a NIC; an ENI still without one fails, the others go on.
wait_for_nics() {
  local deadline missing mac
  deadline=$((SECONDS + NIC_WAIT))
  while :; do
    scan_links
    missing=0
    for mac in "${ENI_MACS[@]}"; do
      [[ -n ${E_FAILED[$mac]:-} || -n ${LINK_BY_MAC[$mac]:-} ]] || missing=1
    done
    ((missing == 0 || SECONDS >= deadline)) && break
    sleep 0.2
  done
  for mac in "${ENI_MACS[@]}"; do
    [[ -z ${E_FAILED[$mac]:-} ]] || continue
    if [[ -n ${LINK_BY_MAC[$mac]:-} ]]; then
      E_NAME[$mac]=${LINK_BY_MAC[$mac]}
    else
      fail_eni "$mac" "no network interface with this MAC appeared within ${NIC_WAIT}s"
    fi
  done
}

# Amazon Linux 2023's amazon-ec2-net-utils starts policy-routes@<nic>.service (and its refresh timer) for every ENI
# udev announces: within a minute it adds every address IMDS lists on the ENI as a /32, its own rules and a DHCP
# config, which would take pod addresses (assigned to the ENI for ipvlan pods) away from the pods. multinic owns the
# secondary ENIs, so it stops both units for each of them, under the name the NIC has now (before the rename, and
# on later boots under its multinic name). Stopping runs the unit's own cleanup (setup-policy-routes stop). The EKS
# AMI masks ec2-net-utils' udev rule, and so does multinic's EKS user data, so on EKS nodes this finds nothing;
# the per-MAC .network file written below keeps systemd-networkd (nodeadm's 70-eks-*.network) off the ENI too.
release_from_ec2_net_utils() {
  command -v "$SYSTEMCTL" >/dev/null 2>&1 || return 0
  local mac nic unit
  for mac in "${ENI_MACS[@]}"; do
    [[ -z ${E_FAILED[$mac]:-} ]] || continue
    nic=${E_NAME[$mac]}
    for unit in "refresh-policy-routes@$nic.timer" "policy-routes@$nic.service"; do
      "$SYSTEMCTL" is-enabled --quiet "$unit" 2>/dev/null || "$SYSTEMCTL" is-active --quiet "$unit" 2>/dev/null || continue
      CHANGES=$((CHANGES + 1))
      if ((DRY_RUN)); then
        printf '%s disable --now --no-block %s\n' "$SYSTEMCTL" "$unit"
        continue
      fi
      # --no-block: this may run inside a boot-time unit; waiting on another job there can deadlock.
      if "$SYSTEMCTL" disable --now --no-block "$unit" >/dev/null 2>&1; then
        log "$nic mac=$mac: stopped $unit (amazon-ec2-net-utils); multinic configures this ENI"
      else
        log "$nic mac=$mac: warning: could not stop $unit (amazon-ec2-net-utils)"
      fi
    done
  done
}

# Rename in two phases (every ENI that needs it to a temporary name, then to its own) so that ENIs can swap names.
rename_links() {
  local mac want owner tmp
  local -a todo=()
  for mac in "${ENI_MACS[@]}"; do
    [[ -z ${E_FAILED[$mac]:-} ]] || continue
    want=${E_WANT[$mac]}
    [[ -n $want && $want != "${E_NAME[$mac]}" ]] || continue
    owner=${MAC_BY_LINK[$want]:-}
    if [[ -n $owner && -z ${E_DEV[$owner]:-} ]]; then
      fail_eni "$mac" "the name $want is taken by $want (MAC $owner), which is not a secondary ENI; rename that interface or change the intent"
      continue
    fi
    todo+=("$mac")
  done
  for mac in "${todo[@]}"; do
    tmp="mnt${E_CARD[$mac]}x${E_DEV[$mac]}"
    ipq link set dev "${E_NAME[$mac]}" down
    ipq link set dev "${E_NAME[$mac]}" name "$tmp"
    E_NAME[$mac]=$tmp
  done
  flush_ip
  for mac in "${todo[@]}"; do
    ipq link set dev "${E_NAME[$mac]}" name "${E_WANT[$mac]}"
    E_NAME[$mac]=${E_WANT[$mac]}
  done
  flush_ip
  if [[ -n $FLUSH_ERROR ]]; then
    for mac in "${todo[@]}"; do fail_eni "$mac" "renaming failed: $FLUSH_ERROR"; done
  fi
}

# ---------------------------------------------------------------------------------------------------------------
# Configure one ENI
# ---------------------------------------------------------------------------------------------------------------
RULES='' # "pref from table" of every IPv4 rule whose table is in our range
declare -A ADDR_LINES=() ROUTE_LINES=() # dev -> `ip -o -4 addr` lines; table -> normalized `ip route` lines

# Read the kernel's addresses, rules and routes once (after the renames), not per ENI.
scan_state() {
  local listing line dev t
  listing=$(ip -4 rule show)
  RULES=$(awk -v lo=$((TABLE_BASE + 1)) -v hi="$TABLE_MAX" '
    { pref = $1; sub(/:$/, "", pref); from = ""; table = ""
      for (i = 2; i < NF; i++) { if ($i == "from") from = $(i + 1); if ($i == "lookup" || $i == "table") table = $(i + 1) }
      if (table ~ /^[0-9]+$/ && table + 0 >= lo && table + 0 <= hi) print pref, from, table }' <<<"$listing")
  ADDR_LINES=()
  listing=$(ip -4 -o addr show)
  while read -r _ dev line; do
    [[ -n $dev ]] || continue
    dev=${dev%:}
    ADDR_LINES[$dev]+="$line"$'\n'
  done <<<"$listing"
  ROUTE_LINES=()
  listing=$(ip -4 route show table all)
  # "table N" moved to the front; state flags the kernel adds (linkdown, dead) dropped; spaces squeezed.
  listing=$(awk -v lo=$((TABLE_BASE + 1)) -v hi="$TABLE_MAX" '
    { t = ""; out = ""
      for (i = 1; i <= NF; i++) {
        if ($i == "table" && i < NF) { t = $(i + 1); i++; continue }
        if ($i == "linkdown" || $i == "dead") continue
        out = out (out == "" ? "" : " ") $i
      }
      if (t ~ /^[0-9]+$/ && t + 0 >= lo && t + 0 <= hi) print t, out }' <<<"$listing")
  while read -r t line; do
    [[ -n $t ]] || continue
    ROUTE_LINES[$t]+="$line"$'\n'
  done <<<"$listing"
}

link_file_for() { # link_file_for MAC NAME CARD DEVICE: sets LINK_TEXT (lib/node/link-file.ts renders the same)
  LINK_TEXT="# Written by multinic-eni.sh: the stable name of the ENI at network card $3, device index $4.
[Match]
PermanentMACAddress=$1

[Link]
Name=$2"
}
LINK_TEXT=''

# netplan writes a udev rule `NAME="ens6"` by MAC (99-netplan-<if>.rules) for every NIC cloud-init rendered at
# first boot; it runs after, and so overrides, the .link name. A final assignment (NAME:=) in a rule that sorts
# first wins. DRIVERS=="?*" keeps ipvlan children (no parent device) out. lib/node/link-file.ts renders the same.
udev_rule_for() { # udev_rule_for MAC NAME: sets UDEV_TEXT
  UDEV_TEXT="# Written by multinic-eni.sh: the stable name of this ENI wins over later NAME= rules (netplan's).
SUBSYSTEM==\"net\", ACTION==\"add\", DRIVERS==\"?*\", ATTR{address}==\"$1\", NAME:=\"$2\""
}
UDEV_TEXT=''

# systemd-networkd leaves the ENI alone under any name: this sorts before nodeadm's 70-eks-<if>.network (EKS AL2023),
# ec2-net-utils' 70-<if>.network and netplan's files, and the first .network file that matches wins. Matched by the
# permanent MAC, so ipvlan children (same MAC, no permanent one) are never caught. lib/node/link-file.ts renders the same.
network_file_for() { # network_file_for MAC NAME: sets NETWORK_TEXT
  NETWORK_TEXT="# Written by multinic-eni.sh: multinic configures $2; systemd-networkd leaves it alone.
[Match]
PermanentMACAddress=$1

[Link]
Unmanaged=yes"
}
NETWORK_TEXT=''

configure_link() { # MTU of the VPC, up, loose rp_filter, forwarding
  local dev=$1
  sys_read "/sys/class/net/$dev/mtu"
  [[ $SYS == "$MTU" ]] || ipq link set dev "$dev" mtu "$MTU"
  sys_read "/sys/class/net/$dev/flags"
  if [[ -z $SYS ]] || (((SYS & 1) == 0)); then ipq link set dev "$dev" up; fi
  # Loose reverse-path filtering: a request from another subnet comes in on this ENI while the main table would
  # route its source through the primary ENI. Forwarding on: pods behind this ENI route through it.
  set_sysctl "/proc/sys/net/ipv4/conf/$dev/rp_filter" 2
  set_sysctl "/proc/sys/net/ipv4/conf/$dev/forwarding" 1
}

configure_addresses() { # every local-ipv4 with the subnet's prefix length and no prefix route: main is not ours
  local dev=$1 plen=$2 ips=$3 listing line addr want=' ' ip ok
  local -a have=() good=()
  listing=${ADDR_LINES[$dev]:-}
  while read -r line; do
    [[ $line =~ inet\ ([0-9./]+) ]] || continue
    addr=${BASH_REMATCH[1]}
    have+=("$addr")
    # Ours only when static (no DHCP lifetime) and without a prefix route.
    [[ $line == *noprefixroute* && $line == *"valid_lft forever"* ]] && good+=("$addr")
  done <<<"$listing"
  for ip in $ips; do
    want+="$ip/$plen "
    ok=0
    for addr in "${good[@]}"; do [[ $addr == "$ip/$plen" ]] && ok=1; done
    ((ok)) && continue
    for addr in "${have[@]}"; do [[ ${addr%/*} == "$ip" ]] && ipq addr del "$addr" dev "$dev"; done
    ipq addr add "$ip/$plen" dev "$dev" noprefixroute
  done
  for addr in "${have[@]}"; do
    [[ $want == *" $addr "* || " $ips " == *" ${addr%/*} "* ]] || ipq addr del "$addr" dev "$dev"
  done
}

configure_routes() { # table: the subnet on the link, default via the subnet router
  local dev=$1 table=$2 subnet=$3 gw=$4 listing line
  local r1="default via $gw dev $dev proto static" r2="$subnet dev $dev proto static scope link"
  listing=${ROUTE_LINES[$table]:-}
  [[ $listing == "$r1"$'\n'"$r2"$'\n' || $listing == "$r2"$'\n'"$r1"$'\n' ]] && return 0
  ipq route replace "$subnet" dev "$dev" proto static scope link table "$table"
  ipq route replace default via "$gw" dev "$dev" proto static table "$table"
  while read -r line; do
    [[ -z $line || $line == "$r1" || $line == "$r2" ]] && continue
    ipq route del "${line%% *}" table "$table"
  done <<<"$listing"
}

configure_rules() { # from every address and every delegated prefix, priority = table
  local table=$1 sources=$2 p from t want=' ' have
  for p in $sources; do
    p=${p%/32}
    want+="$p "
    have=0
    while read -r t from _; do [[ $t == "$table" && $from == "$p" ]] && have=1; done <<<"$RULES"
    ((have)) || ipq rule add from "$p" lookup "$table" pref "$table"
  done
  while read -r p from t; do
    [[ $t == "$table" || $p == "$table" ]] || continue
    [[ $p == "$table" && $t == "$table" && $want == *" $from "* ]] && continue
    ipq rule del pref "$p" from "$from" lookup "$t"
  done <<<"$RULES"
}

configure_eni() {
  local mac=$1 dev card table subnet='' gw='' plen before=$CHANGES
  dev=${E_NAME[$mac]} card=${E_CARD[$mac]} table=${E_TABLE[$mac]}

  if [[ -n ${E_WANT[$mac]} ]]; then # pin the name across reboots
    link_file_for "$mac" "$dev" "$card" "${E_DEV[$mac]}"
    write_file "$LINK_DIR/10-multinic-$dev.link" "$LINK_TEXT"
    udev_rule_for "$mac" "$dev"
    write_file "$UDEV_DIR/70-multinic-$dev.rules" "$UDEV_TEXT"
    network_file_for "$mac" "$dev"
    write_file "$LINK_DIR/05-multinic-$dev.network" "$NETWORK_TEXT"
    WRITTEN+=("$LINK_DIR/10-multinic-$dev.link" "$UDEV_DIR/70-multinic-$dev.rules" "$LINK_DIR/05-multinic-$dev.network")
  fi
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

  # Per-node CNI configs of the networks whose pod addresses come from this ENI's delegated prefixes. Prefixes are
  # sorted numerically (IMDS promises no order); each network takes NET_COUNTS of them from NET_OFFSETS.
  local i p ranges content pat='"ranges":[]' files='' sorted
  local -a slice=() all=()
  sorted=$(for p in ${E_PREFIXES[$mac]}; do ip2int "${p%/*}"; printf '%010d %s\n' "$INT" "$p"; done | sort -n | awk '{ print $2 }')
  read -r -d '' -a all <<<"$sorted" || true
  for i in "${!NET_KEYS[@]}"; do
    [[ ${NET_KEYS[$i]} == "$card:${E_DEV[$mac]}" ]] || continue
    if [[ -z ${E_PREFIXES[$mac]} ]]; then
      fail_eni "$mac" "${NET_FILES[$i]} needs delegated /28 prefixes and IMDS lists none for this ENI (ipv4PrefixCount in the intent)"
      continue
    fi
    if [[ ${NET_SUBNETS[$i]} != "$subnet" ]]; then
      fail_eni "$mac" "${NET_FILES[$i]} was rendered for subnet ${NET_SUBNETS[$i]}, but IMDS puts the ENI in ${subnet:-no IPv4 subnet}"
      continue
    fi
    slice=("${all[@]:${NET_OFFSETS[$i]}:${NET_COUNTS[$i]}}")
    if ((${#slice[@]} < NET_COUNTS[i])); then
      fail_eni "$mac" "${NET_FILES[$i]} takes prefixes $((NET_OFFSETS[i] + 1)) to $((NET_OFFSETS[i] + NET_COUNTS[i])) of this ENI, but IMDS lists ${#all[@]} (ipv4PrefixCount in the intent)"
      continue
    fi
    ranges=''
    for p in "${slice[@]}"; do
      cidr_bounds "$p"
      ranges+="${ranges:+,}{\"subnet\":\"$subnet\",\"rangeStart\":\"$FIRST\",\"rangeEnd\":\"$LAST\",\"gateway\":\"$gw\"}"
    done
    content=${NET_CONFIGS[$i]/"$pat"/"\"ranges\":[[$ranges]]"}
    write_file "$CNI_DIR/${NET_FILES[$i]}" "$content"
    WRITTEN+=("$CNI_DIR/${NET_FILES[$i]}")
    files+="${files:+,}${NET_FILES[$i]}"
  done

  local ips=${E_IPS[$mac]// /,} pfx=${E_PREFIXES[$mac]// /,}
  log "$dev mac=$mac card=$card device=${E_DEV[$mac]} table=$table ipv4=${ips:--} prefixes=${pfx:--} cni=${files:--} changes=$((CHANGES - before))"
}

# ---------------------------------------------------------------------------------------------------------------
# What belongs to ENIs that are gone: rules and tables in our range, files we wrote before and not now.
# ---------------------------------------------------------------------------------------------------------------
MANIFEST_OLD=''

cleanup_stale() {
  local -A live=()
  local mac p from t listing f keep
  for mac in "${ENI_MACS[@]}"; do live[${E_TABLE[$mac]}]=1; done
  while read -r p from t; do
    [[ -z $p || -n ${live[$t]:-} ]] && continue
    ipq rule del pref "$p" from "$from" lookup "$t"
  done <<<"$RULES"
  listing=$(ip -4 route show table all)
  listing=$(awk -v lo=$((TABLE_BASE + 1)) -v hi="$TABLE_MAX" '
    { for (i = 1; i < NF; i++) if ($i == "table" && $(i + 1) ~ /^[0-9]+$/ && $(i + 1) + 0 >= lo && $(i + 1) + 0 <= hi) print $(i + 1) }' <<<"$listing")
  local -A flushed=()
  for t in $listing; do
    [[ -n ${live[$t]:-} || -n ${flushed[$t]:-} ]] && continue
    flushed[$t]=1
    ipq route flush table "$t"
  done
  while read -r f; do
    [[ -n $f ]] || continue
    keep=0
    for p in "${WRITTEN[@]}"; do [[ $p == "$f" ]] && keep=1; done
    ((keep)) || remove_file "$f"
  done <<<"$MANIFEST_OLD"
  flush_ip
  [[ -z $FLUSH_ERROR ]] || die 1 "removing the rules and tables of gone ENIs failed: $FLUSH_ERROR"
}

# The manifest lists the files this script manages. After a failure it keeps the old entries too, so a transient
# failure removes nothing; the next good run removes what is stale.
save_manifest() {
  local -A seen=()
  local content='' f
  local -a all=("${WRITTEN[@]}")
  if ((FAILURES)); then
    while read -r f; do all+=("$f"); done <<<"$MANIFEST_OLD"
  fi
  for f in "${all[@]}"; do
    [[ -n $f && -z ${seen[$f]:-} ]] || continue
    seen[$f]=1
    content+="${content:+$'\n'}$f"
  done
  write_file "$STATE_DIR/managed-files" "$content"
}

# ---------------------------------------------------------------------------------------------------------------
# Lock: udev starts a run per hot-plugged NIC and the boot unit one more; they must not interleave. mkdir is
# atomic; a lock whose owner is gone is taken over.
# ---------------------------------------------------------------------------------------------------------------
LOCK=''
acquire_lock() {
  local deadline owner
  mkdir -p "$RUN_DIR"
  deadline=$((SECONDS + LOCK_WAIT))
  until mkdir "$RUN_DIR/lock" 2>/dev/null; do
    owner=''
    if [[ -r $RUN_DIR/lock/pid ]]; then owner=$(<"$RUN_DIR/lock/pid"); fi
    if [[ -n $owner ]] && ! kill -0 "$owner" 2>/dev/null; then
      log "taking over the lock of run $owner, which is gone"
      rm -rf "$RUN_DIR/lock"
      continue
    fi
    ((SECONDS < deadline)) || die 4 "another run (pid ${owner:-?}) has held $RUN_DIR/lock for more than ${LOCK_WAIT}s"
    sleep 0.1
  done
  LOCK="$RUN_DIR/lock"
  echo $$ >"$LOCK/pid"
}

TMP=''
cleanup() {
  [[ -z $TMP ]] || rm -rf "$TMP"
  [[ -z $LOCK ]] || rm -rf "$LOCK"
}

usage() {
  awk 'NR > 1 && /^set -euo/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"
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
  if [[ -f $STATE_DIR/managed-files ]]; then MANIFEST_OLD=$(<"$STATE_DIR/managed-files"); fi
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

# The readiness contract (lib/readiness.ts, ENI_READY_MARKER): the marker exists only while the last run configured
# every ENI; the node's startup taint is removed once it exists. Not counted as a change: it is state, not config.
mark_ready() {
  local marker="$RUN_DIR/eni-ready"
  if ((FAILURES)); then
    rm -f "$marker"
  else
    printf 'enis=%s\n' "${#ENI_MACS[@]}" >"$marker.tmp.$$"
    mv -f "$marker.tmp.$$" "$marker"
  fi
}

main "$@"
