#!/usr/bin/env bash
# The container images of the local cluster: sourced by build.sh (which defines run_step, go_build, OUT, the pins).
# Each image is a deterministic OCI archive written by go/ocibuild (images/<name>.tar); images.json maps every image
# reference to its archive; registry/ holds them all as a distribution registry's storage (see README.md).
# shellcheck disable=SC2154 # OUT, BUILD_DIR, the pins and the helpers come from build.sh

# shellcheck disable=SC2034 # read by build.sh (its step count)
IMAGE_STEPS=(ocibuild debs pause multus whereabouts mnp tools images-json registry)

# Debian packages unpacked into images. Names only: the versions are the archive's candidates at build time
# (apt-cache policy), which are part of each step's inputs, so a Debian security update rebuilds with new digests.
# Libraries are the ldd closure of the programs (checked after unpacking by running them with the image's loader).
DEBS_BASE=(busybox-static)
DEBS_IPTABLES=(iptables libip4tc2 libip6tc2 libxtables12 libmnl0 libnetfilter-conntrack3 libnfnetlink0 libnftnl11 netbase libc6)
DEBS_CURL=(curl libcurl4 libbrotli1 libcom-err2 libffi8 libgmp10 libgnutls30 libgssapi-krb5-2 libhogweed6 libidn2-0
  libk5crypto3 libkeyutils1 libkrb5-3 libkrb5support0 libldap-2.5-0 libnettle8 libnghttp2-14 libp11-kit0 libpsl5
  librtmp1 libsasl2-2 libssh2-1 libssl3 libtasn1-6 libunistring2 libzstd1 zlib1g libc6)
# The connectivity self-test's client is a bash script reading the API with curl and jq (lib/selftest/client-script.ts),
# as in netshoot, whose reference the tools image serves.
DEBS_SELFTEST=(bash libtinfo6 jq libjq1 libonig5 libc6)
IMAGES_SH_HASH="$(cat "$BUILD_DIR/images.sh" "$BUILD_DIR"/go/ocibuild/*.go "$BUILD_DIR/go/ocibuild/go.mod" | sha256sum | cut -d' ' -f1)"

# Image references. Pause: the sandbox image containerd defaults to (read from its source, checked against the
# kubernetes module's pause Makefile). The tools image stands in for every workload image of the default intent.
# The references the charts emit, from lib/versions.ts; the workload images are those of the default intent's
# workloads (network-intent.yaml; test/cluster/build/images-json.test.ts checks that dist/ needs nothing else).
MULTUS_REF="$MULTUS_IMAGE"
WHEREABOUTS_REF="$WHEREABOUTS_IMAGE"
MNP_REF="$MNP_IMAGE"
TOOLS_REFS="docker.io/library/alpine:3.20 docker.io/nicolaka/netshoot:v0.13 ghcr.io/redhat-nfvpe/multus-service-demo:fedora-nginx $READINESS_IMAGE"
TOOLS_HTTP_PORT=80

# mod_dir MODULE PATH: the source directory of PATH at the version build module MODULE requires (downloaded if absent).
mod_dir() {
  local v
  v="$(cd "$BUILD_DIR/go/$1" && go list -m -f '{{.Version}}' "$2")"
  go mod download -json "$2@$v" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'
}

pause_ref() {
  local cdir kdir ref tag
  cdir="$(mod_dir containerd github.com/containerd/containerd/v2)"
  ref="$(sed -n 's/^[[:space:]]*DefaultSandboxImage = "\(.*\)"$/\1/p' "$cdir/internal/cri/config/config.go")"
  kdir="$(mod_dir k8s k8s.io/kubernetes)"
  tag="$(sed -n 's/^TAG ?= //p' "$kdir/build/pause/Makefile")"
  if [ -z "$ref" ] || [ "${ref##*:}" != "$tag" ]; then
    echo "build.sh: containerd's default sandbox image ($ref) is not the pause version of kubernetes' build/pause/Makefile ($tag)" >&2
    return 1
  fi
  echo "$ref"
}

deb_versions() {
  # "name=version" for every package, from the archive's candidates. apt-cache takes seconds, so the answer is kept
  # for as long as the package lists are the same files (apt-get update replaces them).
  local out p v memo
  memo="$DEB_CACHE/candidates-$( (echo "$*"; stat -c '%n %Y %s' /var/lib/apt/lists/*Packages* 2>/dev/null) | sha256sum | cut -c1-16)"
  if [ -f "$memo" ]; then
    out="$(cat "$memo")"
  else
    out="$(apt-cache policy "$@" 2>/dev/null | awk '/^[^ ].*:$/ { sub(/:$/, ""); name = $0 } /^  Candidate: / { print name "=" $2 }')"
    mkdir -p "$DEB_CACHE"; printf '%s\n' "$out" > "$memo.tmp" && mv -f "$memo.tmp" "$memo"
  fi
  for p in "$@"; do
    v="$(printf '%s\n' "$out" | sed -n "s/^$p=//p" | head -n1)"
    if [ -z "$v" ] || [ "$v" = "(none)" ]; then
      echo "build.sh: Debian package $p has no candidate version (run apt-get update)" >&2; return 1
    fi
    echo "$p=$v"
  done
}

# deb_file name=version: the path apt-get download gives that package (':' of an epoch as %3a), or nothing.
deb_file() {
  local f="$DEB_CACHE/${1%%=*}_${1#*=}"; f="${f//:/%3a}"
  if [ -f "${f}_amd64.deb" ]; then echo "${f}_amd64.deb"; elif [ -f "${f}_all.deb" ]; then echo "${f}_all.deb"; fi
}

# deb_extract ROOTFS name=version...: unpacks the packages (downloaded once into $DEB_CACHE) into ROOTFS.
deb_extract() {
  local root="$1" pv absent=(); shift
  mkdir -p "$DEB_CACHE"
  for pv in "$@"; do [ -n "$(deb_file "$pv")" ] || absent+=("$pv"); done
  if [ "${#absent[@]}" -gt 0 ]; then
    (cd "$DEB_CACHE" && apt-get download -q "${absent[@]}") || { echo "apt-get download ${absent[*]} failed"; return 1; }
  fi
  for pv in "$@"; do
    [ -n "$(deb_file "$pv")" ] || { echo "apt-get download $pv wrote no file"; return 1; }
    dpkg-deb -x "$(deb_file "$pv")" "$root"
  done
  # dpkg-deb runs no maintainer script: drop the docs, keep the programs and libraries.
  rm -rf "$root/usr/share/doc" "$root/usr/share/man" "$root/usr/share/info" "$root/usr/share/lintian" "$root/usr/share/bug"
}

# A minimal userland: busybox (sh, ip, ping, wget, httpd, coreutils names) linked at every applet path it knows,
# plus /etc/passwd, /etc/group and the directories programs expect.
base_rootfs() {
  local root="$1" applet
  rm -rf "$root"; mkdir -p "$root"/{etc,tmp,run,var/lib,root,proc,sys,dev,bin,sbin,usr/bin,usr/sbin}
  # /var/run is a link to /run as on Debian, the base of the upstream images: CRI hands CNI plugins
  # /var/run/netns/cni-... while the DaemonSets mount the node's /run/netns at /run/netns.
  ln -s ../run "$root/var/run"
  chmod 1777 "$root/tmp"
  deb_extract "$root" "${BASE_DEBS_RESOLVED[@]}"
  for applet in $("$root/bin/busybox" --list-full); do
    [ -e "$root/$applet" ] || [ -L "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
}

# ld_check ROOTFS PROGRAM ARGS...: runs an image's dynamically linked program with the image's own loader and
# libraries, so a library missing from the image fails the build instead of the pod.
ld_check() {
  local root="$1" prog="$2"; shift 2
  "$root/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" --library-path "$root/lib/x86_64-linux-gnu:$root/usr/lib/x86_64-linux-gnu" "$root$prog" "$@"
}

ocibuild() { "$OUT/tools/ocibuild" "$@"; }
image() { local name="$1"; shift; ocibuild image -o "$OUT/images/$name.tar" "$@"; }

build_ocibuild() {
  (cd "$BUILD_DIR/go/ocibuild" && CGO_ENABLED=0 go build -trimpath -o "$OUT/tools/ocibuild.tmp" .)
  mv -f "$OUT/tools/ocibuild.tmp" "$OUT/tools/ocibuild"
}

build_debs() {
  local r; r="$(mktemp -d)"
  deb_extract "$r" "${BASE_DEBS_RESOLVED[@]}" "${IPTABLES_DEBS_RESOLVED[@]}" "${CURL_DEBS_RESOLVED[@]}" "${SELFTEST_DEBS_RESOLVED[@]}"
  rm -rf "$r"
  printf '%s\n' "${BASE_DEBS_RESOLVED[@]}" "${IPTABLES_DEBS_RESOLVED[@]}" "${CURL_DEBS_RESOLVED[@]}" "${SELFTEST_DEBS_RESOLVED[@]}" | sort -u > "$OUT/debs.txt"
}

build_pause() {
  local root="$STAGE/pause" kdir tag
  kdir="$(mod_dir k8s k8s.io/kubernetes)"; tag="${PAUSE_REF##*:}"
  rm -rf "$root"; mkdir -p "$root"
  command -v gcc >/dev/null || { echo "pause needs gcc (apt-get install gcc)"; return 1; }
  # As kubernetes' build/pause/Makefile: CFLAGS = -Os -Wall -Werror -static -DVERSION=v$(TAG)-$(REV).
  gcc -Os -Wall -Werror -static -DVERSION="v$tag-multinic" -o "$root/pause" "$kdir/build/pause/linux/pause.c"
  "$root/pause" -v
  image pause -ref "$PAUSE_REF" -rootfs "$root" -entrypoint '["/pause"]' -user 65535:65535
  rm -rf "$root"
}

build_multus() {
  local root="$STAGE/multus" src c bin v
  base_rootfs "$root"
  src="$(mod_dir multus gopkg.in/k8snetworkplumbingwg/multus-cni.v4)"
  local ld="-X gopkg.in/k8snetworkplumbingwg/multus-cni.v4/pkg/multus.version=$MULTUS_VERSION"
  ld+=" -X gopkg.in/k8snetworkplumbingwg/multus-cni.v4/pkg/multus.gitTreeState=clean"
  ld+=" -X gopkg.in/k8snetworkplumbingwg/multus-cni.v4/pkg/multus.releaseStatus=,released"
  ld+=" -X gopkg.in/k8snetworkplumbingwg/multus-cni.v4/pkg/multus.date=1970-01-01T00:00:00+00:00"
  # As upstream's hack/build-go.sh and images/Dockerfile.thick: every command in /usr/src/multus-cni/bin (the
  # passthru CNI as `passthru`: install_multus -t thick copies it beside multus-shim), cert-approver also at /.
  for c in multus multus-daemon multus-shim install_multus thin_entrypoint kubeconfig_generator cert-approver passthru-cni; do
    bin="${c/passthru-cni/passthru}"
    go_build multus "stage/multus/usr/src/multus-cni/bin/$bin" "gopkg.in/k8snetworkplumbingwg/multus-cni.v4/cmd/$c" "$ld"
  done
  install -m 0644 "$src/LICENSE" "$root/usr/src/multus-cni/LICENSE"
  cp "$root/usr/src/multus-cni/bin/cert-approver" "$root/cert-approver"
  # multus-daemon --version exits non-zero after printing: check what it prints.
  v="$("$root/usr/src/multus-cni/bin/multus-daemon" --version 2>&1 || true)"; echo "$v"
  [[ "$v" == *"version:$MULTUS_VERSION("* ]] || { echo "multus-daemon does not report $MULTUS_VERSION"; return 1; }
  image multus -ref "$MULTUS_REF" -rootfs "$root" -workdir / \
    -env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    -entrypoint '["/usr/src/multus-cni/bin/multus-daemon"]'
  rm -rf "$root"
}

build_whereabouts() {
  local root="$STAGE/whereabouts" src s
  base_rootfs "$root"
  src="$(mod_dir whereabouts github.com/k8snetworkplumbingwg/whereabouts)"
  local ld="-X github.com/k8snetworkplumbingwg/whereabouts/pkg/version.Version=$WHEREABOUTS_VERSION"
  ld+=" -X github.com/k8snetworkplumbingwg/whereabouts/pkg/version.GitTreeState=clean"
  ld+=" -X github.com/k8snetworkplumbingwg/whereabouts/pkg/version.ReleaseStatus=released"
  # As upstream's hack/build-go.sh and Dockerfile: the binaries and the scripts at /.
  go_build whereabouts stage/whereabouts/whereabouts github.com/k8snetworkplumbingwg/whereabouts/cmd "$ld"
  go_build whereabouts stage/whereabouts/ip-control-loop github.com/k8snetworkplumbingwg/whereabouts/cmd/controlloop "$ld"
  go_build whereabouts stage/whereabouts/ip-reconciler github.com/k8snetworkplumbingwg/whereabouts/cmd/reconciler "$ld"
  go_build whereabouts stage/whereabouts/node-slice-controller github.com/k8snetworkplumbingwg/whereabouts/cmd/nodeslicecontroller "$ld"
  # Module zips keep no file modes: the scripts get their execute bit here.
  for s in install-cni.sh lib.sh token-watcher.sh; do install -m 0755 "$src/script/$s" "$root/$s"; done
  image whereabouts -ref "$WHEREABOUTS_REF" -rootfs "$root" -workdir / \
    -env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin -cmd '["/install-cni.sh"]'
  rm -rf "$root"
}

build_mnp() {
  local root="$STAGE/mnp" archive="$BUILD_DIR/../../../shared/third-party/$MNP_ARCHIVE" src="$STAGE/mnp-src" l
  [ -f "$archive" ] || archive="${MULTINIC_THIRD_PARTY:-/work/shared/third-party}/$MNP_ARCHIVE"
  [ -f "$archive" ] || { echo "the source snapshot $MNP_ARCHIVE was not found (set MULTINIC_THIRD_PARTY to its directory)"; return 1; }
  echo "$MNP_ARCHIVE_SHA256  $archive" | sha256sum -c -
  rm -rf "$src"; mkdir -p "$src"; tar xzf "$archive" -C "$src" --strip-components=1
  base_rootfs "$root"
  deb_extract "$root" "${IPTABLES_DEBS_RESOLVED[@]}"
  # The Debian packages set these names up in maintainer scripts (update-alternatives), which dpkg-deb -x skips.
  for l in iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore; do
    ln -sfn xtables-nft-multi "$root/usr/sbin/$l"
  done
  ld_check "$root" /usr/sbin/xtables-nft-multi iptables --version
  # As the snapshot's README and Dockerfile: vendored dependencies, offline, the binary in /usr/bin.
  (cd "$src" && GOFLAGS=-mod=vendor GOPROXY=off CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" \
    -o "$root/usr/bin/multi-networkpolicy-iptables" ./cmd/multi-networkpolicy-iptables)
  rm -rf "$src"
  image mnp -ref "$MNP_REF" -rootfs "$root" -workdir /usr/bin \
    -env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    -entrypoint '["/usr/bin/multi-networkpolicy-iptables"]'
  rm -rf "$root"
}

build_tools() {
  local root="$STAGE/tools" r refs=()
  base_rootfs "$root"
  deb_extract "$root" "${CURL_DEBS_RESOLVED[@]}" "${SELFTEST_DEBS_RESOLVED[@]}"
  ld_check "$root" /usr/bin/curl --version
  # shellcheck disable=SC2016 # expanded by the image's bash
  ld_check "$root" /bin/bash -c 'declare -A m; m[a]=1; echo "bash ${BASH_VERSION} ${m[a]}"'
  echo '{"a":[1]}' | ld_check "$root" /usr/bin/jq -r '.a[0]'
  # busybox lists its httpd applet under /usr/sbin; the image's default command names /bin/httpd.
  [ -e "$root/bin/httpd" ] || ln -s /bin/busybox "$root/bin/httpd"
  mkdir -p "$root/usr/share/nginx/html"
  printf '<html><body>multinic local cluster: tools image</body></html>\n' > "$root/usr/share/nginx/html/index.html"
  for r in $TOOLS_REFS; do refs+=(-ref "$r"); done
  # Workloads give their own command (sleep, ash, curl); the default command serves /usr/share/nginx/html on the
  # seed's port like the nginx demo image it stands in for.
  image tools "${refs[@]}" -rootfs "$root" -workdir / -port "$TOOLS_HTTP_PORT/tcp" \
    -env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    -cmd "[\"/bin/httpd\",\"-f\",\"-v\",\"-p\",\"$TOOLS_HTTP_PORT\",\"-h\",\"/usr/share/nginx/html\"]"
  rm -rf "$root"
}

# images.json: every reference the box serves, its archive, whether the content is the upstream image's own
# (local: true, built from the same sources at the same paths) or a stand-in (local: false, the tools image), and
# for a reference that differs from the one in dist/, the original it substitutes.
images_json() {
  local sep="" r
  entry() { printf '%s\n  {"ref":"%s","file":"images/%s.tar","local":%s%s}' "$sep" "$1" "$2" "$3" "${4:+,\"substitutes\":\"$4\"}"; sep=","; }
  printf '['
  entry "$PAUSE_REF" pause true
  entry "$MULTUS_REF" multus true
  entry "$WHEREABOUTS_REF" whereabouts true
  entry "$MNP_REF" mnp true
  for r in $TOOLS_REFS; do entry "$r" tools false; done
  printf '\n]\n'
}
build_images_json() {
  images_json > "$OUT/images.json.tmp"
  mv -f "$OUT/images.json.tmp" "$OUT/images.json"
  cat "$OUT/images.json"
}

# registry/: the storage of a distribution registry (Debian's docker-registry) holding every image, written
# offline; registry.yml serves it read-only (boxrun sets the listen address with REGISTRY_HTTP_ADDR).
build_registry() {
  local tmp="$OUT/registry.tmp"
  rm -rf "$tmp"
  ocibuild store -root "$tmp" "$OUT"/images/*.tar
  rm -rf "$OUT/registry"; mv "$tmp" "$OUT/registry"
  cat > "$OUT/registry.yml" <<EOF
# Serves the images of the local cluster read-only; written by cluster/build/build.sh.
# Start: REGISTRY_HTTP_ADDR=<address>:5000 docker-registry serve $OUT/registry.yml
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $OUT/registry
  maintenance:
    uploadpurging:
      enabled: false
    readonly:
      enabled: true
http:
  addr: 127.0.0.1:5000
  secret: multinic-local-cluster-read-only
EOF
}

images_run_steps() {
  [ "$ONLY" = all ] || [ "$ONLY" = images ] || return 0
  command -v apt-cache >/dev/null || { echo "build.sh: the images need Debian's apt (apt-cache, apt-get download)" >&2; exit 1; }
  local resolved h base
  DEB_CACHE="$CACHE_ROOT/debs" STAGE="$OUT/stage"
  resolved="$(deb_versions "${DEBS_BASE[@]}")" || exit 1; mapfile -t BASE_DEBS_RESOLVED <<<"$resolved"
  resolved="$(deb_versions "${DEBS_IPTABLES[@]}")" || exit 1; mapfile -t IPTABLES_DEBS_RESOLVED <<<"$resolved"
  resolved="$(deb_versions "${DEBS_CURL[@]}")" || exit 1; mapfile -t CURL_DEBS_RESOLVED <<<"$resolved"
  resolved="$(deb_versions "${DEBS_SELFTEST[@]}")" || exit 1; mapfile -t SELFTEST_DEBS_RESOLVED <<<"$resolved"
  PAUSE_REF="$(pause_ref)" || exit 1
  h="$IMAGES_SH_HASH $GO_VERSION"; base="${BASE_DEBS_RESOLVED[*]}"
  run_step ocibuild images "$h" tools/ocibuild build_ocibuild
  run_step debs images "$h $base ${IPTABLES_DEBS_RESOLVED[*]} ${CURL_DEBS_RESOLVED[*]} ${SELFTEST_DEBS_RESOLVED[*]}" debs.txt build_debs
  run_step pause images "$h $PAUSE_REF $(go_inputs k8s)" images/pause.tar build_pause
  run_step multus images "$h $base $MULTUS_REF $(go_inputs multus)" images/multus.tar build_multus
  run_step whereabouts images "$h $base $WHEREABOUTS_REF $(go_inputs whereabouts)" images/whereabouts.tar build_whereabouts
  run_step mnp images "$h $base ${IPTABLES_DEBS_RESOLVED[*]} $MNP_REF $MNP_ARCHIVE_SHA256" images/mnp.tar build_mnp
  run_step tools images "$h $base ${CURL_DEBS_RESOLVED[*]} ${SELFTEST_DEBS_RESOLVED[*]} $TOOLS_REFS" images/tools.tar build_tools
  local digests; digests="$(sha256sum "$OUT"/images/*.tar | cut -d' ' -f1 | tr '\n' ' ')"
  run_step images-json images "$h $PAUSE_REF $TOOLS_REFS $digests" images.json build_images_json
  run_step registry images "$h $digests" "registry registry.yml" build_registry
}
