# shellcheck shell=bash disable=SC2034 # its results are globals that other parts read (the inlined whole is checked without this)
# node-config.sh (part of multinic-eni.sh): read the node config that user data writes (lib/node renderNodeConfig;
# format: docs/node-setup.md). One fact per line, fields separated by single spaces, the last field taking the rest
# of the line, so plain `read` parses it (no JSON parsing, no awk):
#   format multinic.dev/node-config/v2            first line (NODE_CONFIG_FORMAT)
#   nodeGroup NAME
#   mtu N
#   interface CARD DEVICE NAME                    one per secondary ENI
#   network CARD DEVICE FILE SUBNET OFFSET COUNT CONFIG
# CONFIG is a per-node CNI config on one line whose IPAM holds "ranges":[]; write_cni_configs puts the ranges in.
# Blank lines and lines starting with # are skipped.

MTU=''
declare -A IF_NAME=()  # "card:device" -> interface name
declare -a NET_KEYS=() # "card:device" of each network, same order as the lists below
declare -a NET_FILES=() NET_SUBNETS=() NET_CONFIGS=() NET_OFFSETS=() NET_COUNTS=()

load_config() {
  [[ -r $NODE_CONFIG ]] || die 2 "node config $NODE_CONFIG: cannot read it; user data writes it (docs/node-setup.md)"
  local line kind card dev name file subnet off cnt config rest where n=0 format=0
  while IFS= read -r line || [[ -n $line ]]; do
    n=$((n + 1))
    [[ -z $line || $line == '#'* ]] && continue
    where="node config $NODE_CONFIG line $n"
    kind=${line%% *}
    ((format)) || [[ $kind == format ]] || die 2 "$where: the first line must be \"format $NODE_CONFIG_FORMAT\""
    case $kind in
      format)
        [[ $line == "format $NODE_CONFIG_FORMAT" ]] ||
          die 2 "$where: \"$line\" is not \"format $NODE_CONFIG_FORMAT\"; render the node config with the multinic that ships this script"
        format=1
        ;;
      nodeGroup) ;;
      mtu)
        read -r _ MTU rest <<<"$line"
        [[ $MTU =~ ^[0-9]+$ && -z $rest ]] || die 2 "$where: mtu \"${line#mtu}\" must be one number"
        ;;
      interface) # the name comes last, so a name with spaces arrives whole (and is refused)
        read -r _ card dev name <<<"$line"
        [[ $card =~ ^[0-9]+$ && $dev =~ ^[0-9]+$ ]] || die 2 "$where: network card and device index must be numbers"
        [[ $name =~ ^[A-Za-z0-9_.-]{1,15}$ && $name != . && $name != .. ]] ||
          die 2 "$where: interface name \"$name\" is not a valid Linux name (1-15 of A-Z a-z 0-9 _ . -)"
        IF_NAME[$card:$dev]=$name
        ;;
      network)
        read -r _ card dev file subnet off cnt config <<<"$line"
        [[ $card =~ ^[0-9]+$ && $dev =~ ^[0-9]+$ ]] || die 2 "$where: network card and device index must be numbers"
        [[ $file =~ ^[a-z0-9][a-z0-9.-]*\.(conf|conflist)$ ]] || die 2 "$where: file \"$file\" must be a plain <namespace>-<name>.conf or .conflist"
        check_cidr "$subnet"
        ((VALID)) || die 2 "$where: subnet \"$subnet\" is not an IPv4 CIDR"
        [[ $off =~ ^[0-9]+$ && $cnt =~ ^[1-9][0-9]*$ ]] || die 2 "$where: prefix offset and count must be numbers (count at least 1)"
        [[ $config == '{'*'"ranges":[]'*'}' ]] || die 2 "$where: the CNI config must be a JSON object holding \"ranges\":[]"
        NET_KEYS+=("$card:$dev") NET_FILES+=("$file") NET_SUBNETS+=("$subnet") NET_CONFIGS+=("$config") NET_OFFSETS+=("$off") NET_COUNTS+=("$cnt")
        ;;
      *) die 2 "$where: unknown line \"$kind\" (expected format, nodeGroup, mtu, interface or network)" ;;
    esac
  done <"$NODE_CONFIG"
  ((format)) || die 2 "node config $NODE_CONFIG: empty; the first line must be \"format $NODE_CONFIG_FORMAT\""
  [[ $MTU =~ ^[0-9]+$ ]] || die 2 "node config $NODE_CONFIG: no \"mtu\" line (expected e.g. \"mtu 9001\")"
}
