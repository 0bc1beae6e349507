# shellcheck shell=bash disable=SC2034 # its results are globals that other parts read (the inlined whole is checked without this)
# ipv4.sh (part of multinic-eni.sh): IPv4 arithmetic in bash.

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
