#!/bin/bash
# Container runtime and Kubernetes packages, pinned to the intent's version. Runs after the ENI step, so the kubelet
# (which the package starts) never sees a half-configured network; the drop-in keeps that order on every reboot.
set -euo pipefail
# shellcheck source=lib.sh
. "${MULTINIC_LIB:-/usr/local/lib/multinic}/lib.sh"
export DEBIAN_FRONTEND=noninteractive

log "containerd"
retry 5 10 apt-get update -q
retry 5 10 apt-get install -y -q containerd apt-transport-https ca-certificates curl gpg
mkdir -p /etc/containerd
containerd config default >/etc/containerd/config.toml
sed -i 's/SystemdCgroup = false/SystemdCgroup = true/' /etc/containerd/config.toml
grep -q 'SystemdCgroup = true' /etc/containerd/config.toml || die "containerd config has no SystemdCgroup switch"
systemctl enable containerd
systemctl restart containerd

minor=${K8S_VERSION%.*}
version="${K8S_VERSION}-${K8S_DEB_REVISION}"
log "kubelet, kubeadm, kubectl $version"
install -d -m 0755 /etc/apt/keyrings
retry 5 10 curl -fsSL "https://pkgs.k8s.io/core:/stable:/v${minor}/deb/Release.key" -o /tmp/kubernetes-release.key
gpg --dearmor --yes -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg /tmp/kubernetes-release.key
echo "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v${minor}/deb/ /" \
  >/etc/apt/sources.list.d/kubernetes.list
retry 5 10 apt-get update -q
retry 5 10 apt-get install -y -q "kubelet=$version" "kubeadm=$version" "kubectl=$version"
apt-mark hold kubelet kubeadm kubectl

mkdir -p /etc/systemd/system/kubelet.service.d
cat >/etc/systemd/system/kubelet.service.d/10-multinic-network.conf <<'CONF'
# multinic: the secondary interfaces are configured by then (ENI step), also after a reboot.
[Unit]
Wants=network-online.target
After=network-online.target
CONF
systemctl daemon-reload
