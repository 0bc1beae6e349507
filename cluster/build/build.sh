#!/usr/bin/env bash
# Builds everything the local cluster runs, from the Go module proxy and Debian's archive only, into
#   ${MULTINIC_BOX_CACHE:-$HOME/.cache/multinic-box}/<key>/   (key derived from the pins; layout in README.md)
# and prints that directory as the last line of stdout (or one JSON object with --json).
#
#   bash cluster/build/build.sh [--json] [--only control-plane|node|cni|images]
#
# Idempotent: a step is skipped when its outputs exist and its inputs (the pins it uses, the build module's go.sum,
# the Go version, the source of the step's function; for images the content of images.sh and go/ocibuild and the
# Debian package versions) are those recorded when it last succeeded. Progress lines go to
# stderr when stderr is a terminal; otherwise the build is quiet. A failing step stops the build with its name and
# log file, exit status 1.
set -euo pipefail

BUILD_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=pins.sh
. "$BUILD_DIR/pins.sh"

usage() { echo "usage: bash cluster/build/build.sh [--json] [--only control-plane|node|cni|images] | --images-plan" >&2; exit 2; }
JSON=false ONLY=all PLAN=false
while [ "$#" -gt 0 ]; do
  case "$1" in
    --json) JSON=true ;;
    --images-plan) PLAN=true ;; # print the images.json this build writes, build nothing
    --only) [ "$#" -ge 2 ] || usage; ONLY="$2"; shift ;;
    -h|--help) usage ;;
    *) echo "build.sh: unknown argument '$1'" >&2; usage ;;
  esac
  shift
done
case "$ONLY" in all|control-plane|node|cni|images) ;; *) echo "build.sh: unknown group '$ONLY' (control-plane, node, cni, images)" >&2; exit 2 ;; esac

pins_load
command -v go >/dev/null || { echo "build.sh: go is not installed (Go 1.26 from https://go.dev/dl, or the machine's provisioning)" >&2; exit 1; }

# The key names the Kubernetes version and hashes every pinned version and source, so two version sets never share
# a directory (image references are inputs of the image steps, not of the key).
KEY_PINS="KUBERNETES_VERSION CONTAINERD_VERSION RUNC_VERSION CNI_PLUGINS_VERSION MULTUS_VERSION WHEREABOUTS_VERSION
  ETCD_VERSION CRI_TOOLS_VERSION MNP_COMMIT MNP_ARCHIVE MNP_ARCHIVE_SHA256"
PINS_TEXT="$(for n in $KEY_PINS; do echo "$n=${!n}"; done)"
KEY="k8s-${KUBERNETES_VERSION}-$(printf '%s' "$PINS_TEXT" | sha256sum | cut -c1-12)"
CACHE_ROOT="${MULTINIC_BOX_CACHE:-$HOME/.cache/multinic-box}"
OUT="$CACHE_ROOT/$KEY"
mkdir -p "$OUT"/{bin,cni,images,logs,.stamps,tools}
# One build per artifacts directory at a time (the runtime and a developer may start one together): wait for it.
exec 9>"$OUT/.lock"
if ! flock -n 9; then
  echo "build.sh: another build of $OUT is running; waiting for it" >&2
  flock 9
fi
# shellcheck source=images.sh
. "$BUILD_DIR/images.sh"
if $PLAN; then PAUSE_REF="$(pause_ref)"; images_json; exit 0; fi

export GOTOOLCHAIN=local GOFLAGS="-buildvcs=false -mod=readonly"
TTY=false; [ -t 2 ] && TTY=true
STEP_N=0 STEP_TOTAL=0 STEPS_JSON=""
say() { if $TTY; then printf '%s\n' "$*" >&2; fi; }
file_hash() { cat "$@" | sha256sum | cut -d' ' -f1; }
GO_VERSION="$(go env GOVERSION)"

# run_step NAME GROUP INPUTS OUTPUTS FUNCTION [ARGS...]: runs FUNCTION ARGS with its output in logs/NAME.log unless
# every output (relative to $OUT) exists and the stamp holds the hash of INPUTS.
run_step() {
  local name="$1" group="$2" inputs="$3" outputs="$4"; shift 4
  [ "$ONLY" = all ] || [ "$ONLY" = "$group" ] || return 0
  STEP_N=$((STEP_N + 1))
  local hash stamp="$OUT/.stamps/$name" log="$OUT/logs/$name.log" o stale=false start status
  # The inputs include the source of the step's function and of go_build: its recipe, not the rest of this file.
  hash="$( (printf '%s\n' "$inputs"; declare -f "$1" go_build) | sha256sum | cut -d' ' -f1)"
  for o in $outputs; do [ -e "$OUT/$o" ] || stale=true; done
  if ! $stale && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then
    say "[$STEP_N/$STEP_TOTAL] $name: cached"
    STEPS_JSON+="${STEPS_JSON:+,}{\"name\":\"$name\",\"group\":\"$group\",\"status\":\"cached\",\"seconds\":0}"
    return 0
  fi
  say "[$STEP_N/$STEP_TOTAL] $name: building (log: $log)"
  start=$(date +%s)
  rm -f "$stamp"
  # Not inside `if`: errexit must stay on in the step's subshell, so its first failing command fails the step.
  set +e
  ( set -e; "$@" ) >"$log" 2>&1
  status=$?
  set -e
  if [ "$status" -ne 0 ]; then
    echo "build.sh: step '$name' failed (exit $status); log: $log" >&2
    tail -n 20 "$log" | sed 's/^/  | /' >&2
    exit 1
  fi
  for o in $outputs; do
    [ -e "$OUT/$o" ] || { echo "build.sh: step '$name' did not produce $OUT/$o; log: $log" >&2; exit 1; }
  done
  printf '%s\n' "$hash" > "$stamp"
  say "[$STEP_N/$STEP_TOTAL] $name: built in $(( $(date +%s) - start ))s"
  STEPS_JSON+="${STEPS_JSON:+,}{\"name\":\"$name\",\"group\":\"$group\",\"status\":\"built\",\"seconds\":$(( $(date +%s) - start ))}"
}

# A build module must require exactly the pinned version: otherwise its go.sum belongs to another release.
check_module() {
  local mod="$1" path="$2" version="$3"
  grep -q "^[[:space:]]*$path $version\$\|^require $path $version\$" "$BUILD_DIR/go/$mod/go.mod" || {
    echo "build.sh: cluster/build/go/$mod/go.mod does not require $path $version (the pin); run: bash cluster/build/go/gen.sh $mod" >&2
    exit 1
  }
}

# go_build MODULE OUT(relative to $OUT) PACKAGE LDFLAGS [TAGS] [CGO]: one binary, written atomically.
go_build() {
  local mod="$1" out="$OUT/$2" pkg="$3" ldflags="$4" tags="${5:-}" cgo="${6:-0}"
  mkdir -p "$(dirname "$out")"
  (cd "$BUILD_DIR/go/$mod" && CGO_ENABLED="$cgo" go build -trimpath -tags "$tags" -ldflags "-s -w $ldflags" -o "$out.tmp" "$pkg")
  mv -f "$out.tmp" "$out"
}

go_inputs() { echo "$(file_hash "$BUILD_DIR/go/$1/go.mod" "$BUILD_DIR/go/$1/go.sum") $GO_VERSION ${*:2}"; }

# --- ldflags, as each project's own build sets them (a fixed build date keeps the binaries reproducible) ---
k8s_minor="${KUBERNETES_VERSION#v1.}"; k8s_minor="${k8s_minor%%.*}"
K8S_LDFLAGS=""
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  K8S_LDFLAGS+=" -X $p.gitVersion=$KUBERNETES_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$k8s_minor"
  K8S_LDFLAGS+=" -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
done
ETCD_LDFLAGS="-X go.etcd.io/etcd/api/v3/version.GitSHA=module-$ETCD_VERSION"
CONTAINERD_LDFLAGS="-X github.com/containerd/containerd/v2/version.Version=$CONTAINERD_VERSION -X github.com/containerd/containerd/v2/version.Package=github.com/containerd/containerd/v2"
CONTAINERD_TAGS="no_btrfs no_devmapper no_zfs"
RUNC_TAGS="seccomp urfave_cli_no_docs"
CRICTL_LDFLAGS="-X sigs.k8s.io/cri-tools/pkg/version.Version=${CRI_TOOLS_VERSION#v}"
PLUGINS_LDFLAGS="-X github.com/containernetworking/plugins/pkg/utils/buildversion.BuildVersion=$CNI_PLUGINS_VERSION"

check_module k8s k8s.io/kubernetes "$KUBERNETES_VERSION"
check_module etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION"
check_module containerd github.com/containerd/containerd/v2 "$CONTAINERD_VERSION"
check_module runc github.com/opencontainers/runc "$RUNC_VERSION"
check_module cri-tools sigs.k8s.io/cri-tools "$CRI_TOOLS_VERSION"
check_module plugins github.com/containernetworking/plugins "$CNI_PLUGINS_VERSION"
check_module multus gopkg.in/k8snetworkplumbingwg/multus-cni.v4 "$MULTUS_VERSION"
check_module whereabouts github.com/k8snetworkplumbingwg/whereabouts "$WHEREABOUTS_VERSION"

build_etcd() {
  go_build etcd bin/etcd go.etcd.io/etcd/server/v3 "$ETCD_LDFLAGS"
  go_build etcd bin/etcdctl go.etcd.io/etcd/etcdctl/v3 "$ETCD_LDFLAGS"
  "$OUT/bin/etcd" --version
}
build_k8s() { go_build k8s "bin/$1" "k8s.io/kubernetes/cmd/$1" "$K8S_LDFLAGS"; }
build_containerd() {
  local c
  for c in containerd containerd-shim-runc-v2 ctr; do
    go_build containerd "bin/$c" "github.com/containerd/containerd/v2/cmd/$c" "$CONTAINERD_LDFLAGS" "$CONTAINERD_TAGS"
  done
  "$OUT/bin/containerd" --version
}
build_runc() {
  command -v gcc >/dev/null || { echo "runc needs gcc (apt-get install gcc)"; return 1; }
  [ -e /usr/include/seccomp.h ] || { echo "runc needs libseccomp-dev (apt-get install libseccomp-dev)"; return 1; }
  go_build runc bin/runc github.com/opencontainers/runc "" "$RUNC_TAGS" 1
  "$OUT/bin/runc" --version
}
build_crictl() { go_build cri-tools bin/crictl sigs.k8s.io/cri-tools/cmd/crictl "$CRICTL_LDFLAGS"; "$OUT/bin/crictl" --version; }
PLUGIN_PKGS="$(sed -n 's#^[[:space:]]*_ "\(github.com/containernetworking/plugins/plugins/.*\)"$#\1#p' "$BUILD_DIR/go/plugins/tools.go")"
PLUGIN_NAMES="$(for p in $PLUGIN_PKGS; do printf 'cni/%s ' "${p##*/}"; done)"
build_plugins() {
  local p
  for p in $PLUGIN_PKGS; do go_build plugins "cni/${p##*/}" "$p" "$PLUGINS_LDFLAGS"; done
}

K8S_CONTROL_PLANE="kube-apiserver kube-controller-manager kube-scheduler kubectl"
K8S_NODE="kubelet kube-proxy"
STEP_TOTAL=$(( 1 + 4 + 2 + 3 + 1 + ${#IMAGE_STEPS[@]} ))
[ "$ONLY" = all ] || STEP_TOTAL="?"

# Control plane first: the runtime half can start on it while the rest builds.
run_step etcd control-plane "$(go_inputs etcd "$ETCD_LDFLAGS")" "bin/etcd bin/etcdctl" build_etcd
for c in $K8S_CONTROL_PLANE; do
  run_step "$c" control-plane "$(go_inputs k8s "$c" "$K8S_LDFLAGS")" "bin/$c" build_k8s "$c"
done
for c in $K8S_NODE; do
  run_step "$c" node "$(go_inputs k8s "$c" "$K8S_LDFLAGS")" "bin/$c" build_k8s "$c"
done
run_step containerd node "$(go_inputs containerd "$CONTAINERD_LDFLAGS $CONTAINERD_TAGS")" \
  "bin/containerd bin/containerd-shim-runc-v2 bin/ctr" build_containerd
run_step runc node "$(go_inputs runc "$RUNC_TAGS")" bin/runc build_runc
run_step crictl node "$(go_inputs cri-tools "$CRICTL_LDFLAGS")" bin/crictl build_crictl
run_step cni-plugins cni "$(go_inputs plugins "$PLUGINS_LDFLAGS")" "$PLUGIN_NAMES" build_plugins
images_run_steps

list_dir() { local f sep=""; for f in "$OUT/$1"/*; do [ -e "$f" ] || continue; printf '%s"%s"' "$sep" "${f##*/}"; sep=","; done; }
if $JSON; then
  printf '{"dir":"%s","key":"%s","pins":%s,"steps":[%s],"bin":[%s],"cni":[%s],"imagesJson":"%s","registry":{"root":"%s","config":"%s"}}\n' \
    "$OUT" "$KEY" "$(bash "$BUILD_DIR/pins.sh" --json)" "$STEPS_JSON" "$(list_dir bin)" "$(list_dir cni)" \
    "$OUT/images.json" "$OUT/registry" "$OUT/registry.yml"
else
  echo "$OUT"
fi
