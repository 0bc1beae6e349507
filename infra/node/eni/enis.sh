# shellcheck shell=bash disable=SC2034 # its results are globals that other parts read (the inlined whole is checked without this)
# enis.sh (part of multinic-eni.sh): find the secondary ENIs: their facts from IMDS and the NIC of each (by MAC).

readonly NET_ADDR_STOLEN=2 # /sys/class/net/X/addr_assign_type of ipvlan/vlan children that share the ENI's MAC

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
