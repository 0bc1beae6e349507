#!/usr/bin/env bash
# boot-node.sh: boot one node of the local cluster, as an EC2 node boots, inside its own network namespace and a
# private mount namespace (the caller runs: nsenter --net=/run/netns/NODE unshare -m --propagation private
# boot-node.sh ENV_FILE). Order as on EC2: mounts, the ENI setup (multinic-eni.sh against the node's metadata
# server), containerd, the kubelet and kube-proxy, then the cluster network's config once the node has its pod CIDR
# (as Calico's install-cni writes its conflist). Then it stays, as the process that holds the node's namespaces.
#
# ENV_FILE (written by cluster/provider/node.ts) sets: NODE_NAME NODE_DIR ART ENI_SCRIPT IMDS_PORT PAUSE_TAR
# KUBECTL_KUBECONFIG HOLD_DIR CLUSTER_NET_NAME CLUSTER_NET_FILE (the name and file of the cluster network the stand-in
# takes the place of: Calico's, or the VPC CNI's for flavour eks), and optionally HOLD_ENI_SETUP=1 (boot without the
# ENI setup; see below).
set -euo pipefail

# shellcheck source=/dev/null
. "$1"

log() { printf '%s boot-node %s: %s\n' "$(date +%T.%3N)" "$NODE_NAME" "$*"; }

# --- mounts --------------------------------------------------------------------------------------------------------
# A sysfs of this network namespace (the ENI script reads /sys/class/net), with the host's cgroup hierarchies moved
# back under it: the kubelet needs them (and `ip netns exec`, which remounts /sys without them, breaks it).
mkdir -p "$HOLD_DIR"
mount --rbind /sys/fs/cgroup "$HOLD_DIR"
mount -t sysfs sysfs /sys
mount --move "$HOLD_DIR" /sys/fs/cgroup
# Node-private state: containerd, the kubelet and CNI write to fixed paths under these whatever they are told.
# (An absent mount point, such as /etc/cni on a host without CNI, is made once on the host: an empty directory.)
for dir in /run /var/lib /etc/cni /opt /var/log; do
  mkdir -p "$dir"
  mount -t tmpfs -o mode=0755 tmpfs "$dir"
done
# Shared inside the node, so the DaemonSets' Bidirectional and HostToContainer mounts work.
mount --make-rshared /
mkdir -p /opt/cni/bin /etc/cni/net.d /etc/cni/multus/net.d /var/log/pods /var/log/containers /run/multinic /var/lib/kubelet
# Copies, not links: the Multus daemon runs the cluster network's plugins from the node's /opt/cni/bin inside its own
# container, where a link into the build cache on the host points nowhere.
cp "$ART"/cni/* /opt/cni/bin/
log "mounts ready"

# --- ENI setup, as the EC2 user data runs it before the kubelet ------------------------------------------------------
# Written as a script of its own, so that a node booted with HOLD_ENI_SETUP=1 (a test hook: the seed's node without
# its in-guest setup, docs/seed-walkthrough.md) can complete it later: run $NODE_DIR/eni-setup.sh inside the node.
{
  echo '#!/usr/bin/env bash'
  printf 'export MULTINIC_IMDS_ENDPOINT=%q MULTINIC_NODE_CONFIG=%q\n' "http://127.0.0.1:$IMDS_PORT" "$NODE_DIR/node.conf"
  echo 'export MULTINIC_LINK_DIR=/run/multinic/network MULTINIC_UDEV_DIR=/run/multinic/udev MULTINIC_STATE_DIR=/var/lib/multinic'
  echo 'export MULTINIC_NIC_WAIT=5 MULTINIC_IMDS_RETRY_DELAY=0.2 MULTINIC_IMDS_ATTEMPTS=20'
  printf 'exec %q\n' "$ENI_SCRIPT"
} >"$NODE_DIR/eni-setup.sh"
chmod 0755 "$NODE_DIR/eni-setup.sh"
eni_status=0
if [[ ${HOLD_ENI_SETUP:-0} == 1 ]]; then
  eni_status=held
else
  "$NODE_DIR/eni-setup.sh" >"$NODE_DIR/eni.log" 2>&1 || eni_status=$?
fi
log "ENI setup exit $eni_status ($NODE_DIR/eni.log)"

# --- containerd, kubelet, kube-proxy -----------------------------------------------------------------------------
export PATH="$ART/bin:$PATH"
setsid "$ART/bin/containerd" --config "$NODE_DIR/containerd.toml" >>"$NODE_DIR/containerd.log" 2>&1 </dev/null &
for _ in $(seq 1 200); do
  [[ -S /run/containerd/containerd.sock ]] && break
  sleep 0.05
done
[[ -S /run/containerd/containerd.sock ]] || { log "containerd did not start: $NODE_DIR/containerd.log"; exit 1; }
# The sandbox image before the kubelet starts, or CRI tries to pull it.
"$ART/bin/ctr" -a /run/containerd/containerd.sock -n k8s.io images import "$PAUSE_TAR" >/dev/null
log "containerd ready"

setsid "$ART/bin/kubelet" --config="$NODE_DIR/kubelet.yaml" --kubeconfig="$NODE_DIR/kubelet.kubeconfig" \
  --node-ip="$NODE_IP" --hostname-override="$NODE_NAME" --node-labels="$NODE_LABELS" \
  >>"$NODE_DIR/kubelet.log" 2>&1 </dev/null &
setsid "$ART/bin/kube-proxy" --config="$NODE_DIR/kube-proxy.yaml" >>"$NODE_DIR/kube-proxy.log" 2>&1 </dev/null &
log "kubelet and kube-proxy started"

# --- the cluster network, as Calico (or aws-node) would write it once the node has its pod CIDR ---------------------
# The real cluster network's file name and network name (the emitted Multus config names both: clusterNetwork, e.g.
# k8s-pod-network or aws-cni, and the readiness indicator, e.g. 10-calico.conflist or 10-aws.conflist); a bridge per
# node with host-local from the node's pod CIDR, portmap chained.
cidr=''
for _ in $(seq 1 600); do
  cidr=$("$ART/bin/kubectl" --kubeconfig="$KUBECTL_KUBECONFIG" get node "$NODE_NAME" -o 'jsonpath={.spec.podCIDR}' 2>/dev/null || true)
  [[ -n $cidr ]] && break
  sleep 0.2
done
[[ -n $cidr ]] || { log "the node got no pod CIDR within 120 s"; exit 1; }
cat >"/etc/cni/net.d/$CLUSTER_NET_FILE.tmp" <<CONF
{
  "cniVersion": "1.0.0",
  "name": "$CLUSTER_NET_NAME",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "cni0",
      "isGateway": true,
      "ipMasq": true,
      "hairpinMode": true,
      "ipam": { "type": "host-local", "ranges": [[{ "subnet": "$cidr" }]], "routes": [{ "dst": "0.0.0.0/0" }] }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
CONF
mv "/etc/cni/net.d/$CLUSTER_NET_FILE.tmp" "/etc/cni/net.d/$CLUSTER_NET_FILE"
log "cluster network $CLUSTER_NET_NAME ($CLUSTER_NET_FILE) written for $cidr; node booted"

exec sleep infinity
