#!/usr/bin/env bash
# Prints every pin of the local cluster build, one KEY=value a line (or one JSON object with --json).
# Kubernetes, containerd, runc, the CNI plugins, Multus, Whereabouts, multi-networkpolicy-iptables and the images
# the charts emit are read from lib/versions.ts, the single source shared with the AWS deploy (VERSIONS.<key>.version,
# .image, .commit); the box-only pins from pins.env beside this script. Sourced by build.sh (pins_load), run by the tests.
set -euo pipefail

pins_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pins_repo="$(cd "$pins_dir/../.." && pwd)"

# The string value of field $2 of the top-level key $1 of VERSIONS in lib/versions.ts (first occurrence).
pins_ts_string() {
  local v
  v="$(awk -v key="$1" -v field="$2" '
    /^export const VERSIONS = [{]/ { versions = 1; next }
    versions && /^[}]/ { exit }
    versions && $0 ~ "^  " key ": [{]" { inside = 1 }
    inside && match($0, "(^|[ {])" field ": *'\''[^'\'']*'\''") {
      s = substr($0, RSTART, RLENGTH); sub("^[ {]?" field ": *'\''", "", s); sub(/'\''$/, "", s); print s; exit
    }
    inside && $0 ~ /^  [}]/ { exit }
  ' "$pins_repo/lib/versions.ts")"
  [ -n "$v" ] || { echo "pins.sh: lib/versions.ts has no VERSIONS.$1.$2; add it there" >&2; return 1; }
  echo "$v"
}

# The `version` of the top-level key $1 of VERSIONS, with a leading v.
pins_ts_version() {
  local v
  v="$(pins_ts_string "$1" version)" || return 1
  echo "v${v#v}"
}

pins_load() {
  local line
  while IFS= read -r line; do
    case "$line" in ''|'#'*) continue ;; esac
    [[ "$line" =~ ^[A-Z0-9_]+=[^[:space:]]+$ ]] || { echo "pins.sh: bad line in pins.env: $line" >&2; return 1; }
    export "${line?}"
  done < "$pins_dir/pins.env"
  KUBERNETES_VERSION="$(pins_ts_version kubernetes)"
  CONTAINERD_VERSION="$(pins_ts_version containerd)"
  RUNC_VERSION="$(pins_ts_version runc)"
  CNI_PLUGINS_VERSION="$(pins_ts_version cniPlugins)"
  MULTUS_VERSION="$(pins_ts_version multus)"
  WHEREABOUTS_VERSION="$(pins_ts_version whereabouts)"
  MULTUS_IMAGE="$(pins_ts_string multus image)"
  WHEREABOUTS_IMAGE="$(pins_ts_string whereabouts image)"
  MNP_COMMIT="$(pins_ts_string multiNetworkPolicy commit)"
  MNP_IMAGE="$(pins_ts_string multiNetworkPolicy image)"
  READINESS_IMAGE="$(pins_ts_string readiness image)"
  export KUBERNETES_VERSION CONTAINERD_VERSION RUNC_VERSION CNI_PLUGINS_VERSION MULTUS_VERSION WHEREABOUTS_VERSION \
    MULTUS_IMAGE WHEREABOUTS_IMAGE MNP_COMMIT MNP_IMAGE READINESS_IMAGE
}

pins_names() {
  echo KUBERNETES_VERSION CONTAINERD_VERSION RUNC_VERSION CNI_PLUGINS_VERSION MULTUS_VERSION WHEREABOUTS_VERSION \
    MULTUS_IMAGE WHEREABOUTS_IMAGE MNP_COMMIT MNP_IMAGE READINESS_IMAGE
  sed -n 's/^\([A-Z0-9_]*\)=.*/\1/p' "$pins_dir/pins.env"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  pins_load
  names="$(pins_names | tr ' ' '\n')"
  if [ "${1:-}" = "--json" ]; then
    sep='{'
    for n in $names; do printf '%s"%s":"%s"' "$sep" "$n" "${!n}"; sep=','; done
    printf '}\n'
  else
    for n in $names; do echo "$n=${!n}"; done
  fi
fi
