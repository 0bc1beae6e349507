# shellcheck shell=bash
# cni.sh (part of multinic-eni.sh): the per-node CNI configs of the networks whose pod addresses come from an ENI's
# delegated /28 prefixes: the node config's template with one host-local range per prefix of the network's slice.

CNI_FILES='' # the files write_cni_configs wrote, comma-separated (for the log line)

# write_cni_configs MAC SUBNET GATEWAY: write the configs of the networks on this ENI; a network that cannot get its
# prefixes fails the ENI (fail_eni) and is skipped. Prefixes are sorted numerically (IMDS promises no order); each
# network takes NET_COUNTS of them from NET_OFFSETS.
write_cni_configs() {
  local mac=$1 subnet=$2 gw=$3 i p ranges content pat='"ranges":[]' sorted
  local -a slice=() all=()
  CNI_FILES=''
  sorted=$(for p in ${E_PREFIXES[$mac]}; do ip2int "${p%/*}"; printf '%010d %s\n' "$INT" "$p"; done | sort -n)
  while read -r _ p; do [[ -z $p ]] || all+=("$p"); done <<<"$sorted"
  for i in "${!NET_KEYS[@]}"; do
    [[ ${NET_KEYS[$i]} == "${E_CARD[$mac]}:${E_DEV[$mac]}" ]] || continue
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
    CNI_FILES+="${CNI_FILES:+,}${NET_FILES[$i]}"
  done
}
