# shellcheck shell=bash
# routing.sh (part of multinic-eni.sh): one ENI's link settings, addresses, route table and rules, converged from the
# kernel's state as read once per run.

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
