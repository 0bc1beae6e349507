#!/bin/bash
# Step 1 on every node: the kernel modules and sysctls Kubernetes needs.
set -euo pipefail
# shellcheck source=lib.sh
. "${MULTINIC_LIB:-/usr/local/lib/multinic}/lib.sh"

log "kernel modules and sysctls"
cat >/etc/modules-load.d/multinic-k8s.conf <<'CONF'
overlay
br_netfilter
CONF
modprobe overlay
modprobe br_netfilter
# rp_filter loose (2): replies to traffic that came in on a secondary ENI may leave through another interface.
cat >/etc/sysctl.d/90-multinic-k8s.conf <<'CONF'
net.bridge.bridge-nf-call-iptables = 1
net.bridge.bridge-nf-call-ip6tables = 1
net.ipv4.ip_forward = 1
net.ipv4.conf.all.rp_filter = 2
net.ipv4.conf.default.rp_filter = 2
CONF
sysctl --system >/dev/null
swapoff -a

