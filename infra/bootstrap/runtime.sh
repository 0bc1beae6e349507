#!/bin/bash
# Container runtime, Kubernetes packages and the CNI reference plugins, every one pinned (infra/node-artifacts.ts):
# apt repositories are trusted only with a signing key of the pinned fingerprint, packages are installed at their exact
# versions and held. Runs after the ENI step, so the kubelet (which the package starts) never sees a half-configured
# network; the drop-in keeps that order on every reboot.
set -euo pipefail
# shellcheck source=lib.sh
. "${MULTINIC_LIB:-/usr/local/lib/multinic}/lib.sh"
export DEBIAN_FRONTEND=noninteractive
keyrings=${MULTINIC_KEYRINGS:-/etc/apt/keyrings}
sources=${MULTINIC_APT_SOURCES:-/etc/apt/sources.list.d}

# add_repository NAME: APT_<NAME>_KEY_URL, _FINGERPRINT and _DEB from bootstrap.env. The key is refused unless its
# primary fingerprint is the pinned one.
add_repository() {
  local name=$1 upper key_url fingerprint deb key got
  upper=$(tr '[:lower:]' '[:upper:]' <<<"$name")
  key_url=$(printenv "APT_${upper}_KEY_URL") || die "no APT_${upper}_KEY_URL in bootstrap.env"
  fingerprint=$(printenv "APT_${upper}_FINGERPRINT") || die "no APT_${upper}_FINGERPRINT in bootstrap.env"
  deb=$(printenv "APT_${upper}_DEB") || die "no APT_${upper}_DEB in bootstrap.env"
  key=$(mktemp)
  retry 5 10 curl -fsSL "$key_url" -o "$key" || die "cannot download the $name signing key from $key_url"
  got=$(gpg --show-keys --with-colons "$key" 2>/dev/null | awk -F: '$1 == "fpr" { print $10; exit }')
  if [ "$got" != "$fingerprint" ]; then
    die "the $name signing key at $key_url has fingerprint ${got:-none}, not the pinned $fingerprint: not trusting it"
  fi
  install -d -m 0755 "$keyrings"
  gpg --dearmor --yes -o "$keyrings/$name.gpg" "$key"
  rm -f "$key"
  echo "deb [signed-by=$keyrings/$name.gpg] $deb" >"$sources/multinic-$name.list"
}

log "apt repositories: $APT_REPOSITORIES"
for repository in $APT_REPOSITORIES; do add_repository "$repository"; done
retry 5 10 apt-get update -q || die "apt-get update failed"
read -r -a packages <<<"$APT_PACKAGES"
log "packages: ${packages[*]}"
retry 5 10 apt-get install -y -q --allow-change-held-packages "${packages[@]}" \
  || die "cannot install the pinned packages ${packages[*]} (is each exact version still in its repository?)"
apt-mark hold "${packages[@]%%=*}" >/dev/null

# The reference CNI plugins the cluster's configs use (kubernetes-cni puts them in /opt/cni/bin); a missing one would
# only show when the first pod needing it is created.
for plugin in $CNI_PLUGINS_REQUIRED; do
  [ -x "${MULTINIC_CNI_BIN:-/opt/cni/bin}/$plugin" ] || die "CNI plugin /opt/cni/bin/$plugin is missing after installing ${packages[*]}"
done
log "CNI plugins present: $CNI_PLUGINS_REQUIRED"

log "containerd configuration (systemd cgroups)"
mkdir -p /etc/containerd
containerd config default >/etc/containerd/config.toml
sed -i 's/SystemdCgroup = false/SystemdCgroup = true/' /etc/containerd/config.toml
grep -q 'SystemdCgroup = true' /etc/containerd/config.toml || die "containerd config has no SystemdCgroup switch"
systemctl enable containerd
systemctl restart containerd

mkdir -p /etc/systemd/system/kubelet.service.d
cat >/etc/systemd/system/kubelet.service.d/10-multinic-network.conf <<'CONF'
# multinic: the secondary interfaces are configured by then (ENI step), also after a reboot.
[Unit]
Wants=network-online.target
After=network-online.target
CONF
systemctl daemon-reload
