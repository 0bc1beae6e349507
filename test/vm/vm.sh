#!/usr/bin/env bash
# vm.sh: boot Debian's cloud kernel once under QEMU (TCG) with an initramfs made here, run a test suite inside, and
# print the guest's console on stdout. The suite is a directory holding `suite.sh` and its data; the guest runs it
# with busybox sh after loading the kernel modules the VPC model needs (ipvlan, macvlan, veth, bridge, nftables).
#
# Usage: vm.sh SUITE_DIR
#
# The kernel is the package that linux-image-cloud-amd64 depends on, resolved now (its ABI number changes with
# updates), fetched with `apt-get download` into the cache and unpacked with dpkg-deb (never installed).
#
# Environment (defaults in brackets):
#   MULTINIC_VM_CACHE    [<repo>/.vm-cache]  kernel package and its unpacked tree (gitignored)
#   MULTINIC_VM_TIMEOUT  [200]               seconds before QEMU is killed
#   MULTINIC_VM_MEMORY   [512]               guest memory in MiB
#
# Exit status: 0 the guest ran the suite and powered off (results are in the output); 77 skipped (not root, or a
# tool is missing: the reason on stderr); 1 anything else (no kernel, timeout, the guest did not finish).
set -euo pipefail

readonly PROG=multinic-vm
REPO=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${MULTINIC_VM_CACHE:-$REPO/.vm-cache}
TIMEOUT=${MULTINIC_VM_TIMEOUT:-200}
MEMORY=${MULTINIC_VM_MEMORY:-512}
readonly CNI_BIN=/usr/lib/cni
readonly CNI_PLUGINS=(ipvlan macvlan host-local sbr loopback static)
# In load order; dependencies are resolved from each module's depends= string anyway.
readonly MODULES=(veth macvlan ipvlan bridge nfnetlink nf_tables nft_meta_bridge nft_objref)

log() { printf '%s: %s\n' "$PROG" "$*" >&2; }
skip() { log "SKIP: $*"; exit 77; }
die() { log "error: $*"; exit 1; }

if (($# != 1)) || [[ ! -f $1/suite.sh ]]; then die "usage: vm.sh SUITE_DIR (a directory holding suite.sh)"; fi
SUITE=$(cd "$1" && pwd)

uid=$(id -u)
[[ $uid == 0 ]] || skip "not root (the guest image holds device nodes and the test needs apt-get download)"
for tool in qemu-system-x86_64 busybox ip nft apt-get apt-cache dpkg-deb ldd gzip timeout; do
  command -v "$tool" >/dev/null || skip "$tool is missing (apt-get install qemu-system-x86 busybox-static iproute2 nftables)"
done
for p in "${CNI_PLUGINS[@]}"; do [[ -x $CNI_BIN/$p ]] || skip "$CNI_BIN/$p is missing (apt-get install containernetworking-plugins)"; done
busybox --list | grep -x cpio >/dev/null || skip "busybox has no cpio applet"

# ---------------------------------------------------------------------------------------------------------------
# The kernel: resolve, download once, unpack once.
# ---------------------------------------------------------------------------------------------------------------
t0=$SECONDS
mkdir -p "$CACHE"
deps=''
deps=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null) || true
pkg=$(awk '/Depends: linux-image-[0-9]/ { print $2; exit }' <<<"$deps")
if [[ -z $pkg ]]; then
  # No package lists (a fresh machine before apt-get update): use what the cache holds, if anything.
  debs=("$CACHE"/linux-image-*-cloud-amd64_*.deb)
  [[ -e ${debs[0]} ]] || die "cannot resolve linux-image-cloud-amd64 (run apt-get update) and $CACHE holds no kernel package"
  deb=${debs[-1]}
  log "apt-cache cannot resolve linux-image-cloud-amd64; using the cached ${deb##*/}"
else
  shopt -s nullglob
  debs=("$CACHE/${pkg}"_*.deb)
  shopt -u nullglob
  if ((${#debs[@]} == 0)); then
    log "downloading $pkg"
    (cd "$CACHE" && apt-get download -q "$pkg" 2>&1 | grep -v 'unsandboxed' >&2) || true
    shopt -s nullglob
    debs=("$CACHE/${pkg}"_*.deb)
    shopt -u nullglob
    ((${#debs[@]} > 0)) || die "apt-get download $pkg failed"
  fi
  deb=${debs[-1]}
fi
tree=$CACHE/${deb##*/}
tree=${tree%.deb}
if [[ ! -d $tree/boot ]]; then
  rm -rf "$tree.tmp"
  dpkg-deb -x "$deb" "$tree.tmp"
  mv "$tree.tmp" "$tree"
fi
kdirs=("$tree"/lib/modules/*)
kver=${kdirs[0]##*/}
kernel=$tree/boot/vmlinuz-$kver
[[ -f $kernel ]] || die "no kernel image in $deb"
log "kernel $kver ($((SECONDS - t0))s to resolve, fetch and unpack)"

# ---------------------------------------------------------------------------------------------------------------
# The initramfs: busybox, the real ip and nft with their libraries, the CNI plugins, the modules, the suite.
# ---------------------------------------------------------------------------------------------------------------
t1=$SECONDS
WORK=$(mktemp -d "${TMPDIR:-/tmp}/multinic-vm.XXXXXX")
QEMU_PID=''
cleanup() {
  [[ -z $QEMU_PID ]] || kill "$QEMU_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
root=$WORK/root
mkdir -p "$root"/{bin,sbin,usr/local/sbin,proc,sys,dev,run,tmp,etc,modules,suite,var/lib} "$root$CNI_BIN"
ln -s /run "$root/var/run"
BUSYBOX=$(command -v busybox)
IP=$(command -v ip)
NFT=$(command -v nft)
cp "$BUSYBOX" "$root/bin/busybox"
cp "$REPO/test/vm/guest/init" "$root/init"
chmod 755 "$root/init"

copy_with_libs() { # copy_with_libs BINARY DEST: the binary and every shared library it needs, at their paths
  local bin=$1 dest=$2 listing lib
  cp "$bin" "$root$dest"
  listing=$(ldd "$bin" 2>/dev/null || true)
  listing=$(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i }' <<<"$listing")
  while read -r lib; do
    [[ -z $lib || -e $root$lib ]] && continue
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done <<<"$listing"
}
copy_with_libs "$IP" /usr/local/sbin/ip
copy_with_libs "$NFT" /usr/local/sbin/nft
for p in "${CNI_PLUGINS[@]}"; do copy_with_libs "$CNI_BIN/$p" "$CNI_BIN/$p"; done

# Modules with their dependencies first (from each module's depends= string), each once.
declare -A MOD_PATH=() LOADED=()
kos=$(find "$tree/lib/modules/$kver" -name '*.ko')
while read -r f; do
  m=${f##*/}
  m=${m%.ko}
  MOD_PATH[$m]=$f
done <<<"$kos"
order=()
add_module() {
  local m=$1 depends d
  [[ -n ${LOADED[$m]:-} ]] && return 0
  [[ -n ${MOD_PATH[$m]:-} ]] || die "module $m not found in $kver (built in? then drop it from MODULES)"
  depends=$(tr '\0' '\n' <"${MOD_PATH[$m]}" | awk -F= '/^depends=/ && !seen { print $2; seen = 1 }')
  for d in ${depends//,/ }; do add_module "$d"; done
  LOADED[$m]=1
  order+=("$m")
  cp "${MOD_PATH[$m]}" "$root/modules/$m.ko"
}
for m in "${MODULES[@]}"; do add_module "$m"; done
printf '%s\n' "${order[@]}" >"$root/modules/order"

cp -r "$SUITE"/. "$root/suite/"
initrd=$WORK/initrd.gz
(cd "$root" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1 >"$initrd")
size=$(stat -c %s "$initrd")
log "initramfs $((size / 1024)) KiB, modules: ${order[*]} ($((SECONDS - t1))s)"

# ---------------------------------------------------------------------------------------------------------------
# Boot once; the guest runs the suite and powers off.
# ---------------------------------------------------------------------------------------------------------------
t2=$SECONDS
out=$WORK/console
rc=0
timeout --kill-after=5 "$TIMEOUT" qemu-system-x86_64 -accel tcg -cpu max -m "$MEMORY" -nographic -no-reboot \
  -kernel "$kernel" -initrd "$initrd" -append "console=ttyS0 panic=-1 quiet loglevel=3" </dev/null >"$out" 2>&1 || rc=$?
tr -d '\r' <"$out"
log "guest ran $((SECONDS - t2))s (qemu exit $rc)"
((rc != 124 && rc != 137)) || die "the guest did not finish within ${TIMEOUT}s"
grep -q '^VMSUITE DONE' "$out" || die "the guest did not finish the suite (qemu exit $rc)"
