#!/bin/bash
# Control plane: kubeadm init with the intent's pod and service CIDRs, join data to SSM (renewed by a timer),
# Calico at a pinned, checksum-verified version, then the manifests of the cdk8s app with server-side apply.
set -euo pipefail
# shellcheck source=lib.sh
. "${MULTINIC_LIB:-/usr/local/lib/multinic}/lib.sh"

node_ip=$(retry 10 3 imds local-ipv4)
umask 077
cat >"$MULTINIC_ETC/kubeadm-init.yaml" <<CONF
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint:
  advertiseAddress: "${node_ip}"
  bindPort: 6443
nodeRegistration:
  kubeletExtraArgs:
    - name: node-ip
      value: "${node_ip}"
    - name: node-labels
      value: "${NODE_LABELS}"
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
clusterName: "${MULTINIC_CLUSTER}"
kubernetesVersion: "v${K8S_VERSION}"
controlPlaneEndpoint: "${node_ip}:6443"
networking:
  podSubnet: "${POD_CIDR}"
  serviceSubnet: "${SERVICE_CIDR}"
apiServer:
  # 127.0.0.1 for kubectl through a Session Manager port forward.
  certSANs: ["127.0.0.1", "localhost", "${node_ip}"]
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: systemd
CONF

if [ ! -f /etc/kubernetes/admin.conf ]; then
  log "kubeadm init (Kubernetes v$K8S_VERSION, pods $POD_CIDR, services $SERVICE_CIDR)"
  kubeadm init --config "$MULTINIC_ETC/kubeadm-init.yaml"
fi
export KUBECONFIG=/etc/kubernetes/admin.conf

/usr/local/lib/multinic/publish-join.sh
systemctl daemon-reload
systemctl enable --now multinic-join-renew.timer

if ! kubectl -n kube-system get daemonset calico-node >/dev/null 2>&1; then
  log "Calico from $CALICO_URL"
  retry 5 10 curl -fsSL "$CALICO_URL" -o "$MULTINIC_ETC/calico.yaml"
  actual=$(sha256sum "$MULTINIC_ETC/calico.yaml" | cut -d' ' -f1)
  if [ "$actual" != "$CALICO_SHA256" ]; then
    die "Calico manifest $CALICO_URL has sha256 $actual but $CALICO_SHA256 is pinned: not applying it. Review the file, then pin its digest (docs/deploy.md, \"Calico checksum\")."
  fi
  retry 5 10 kubectl apply --server-side --field-manager=multinic -f "$MULTINIC_ETC/calico.yaml"
  # Pin Calico to the primary ENI address: "first-found" could pick a secondary (Multus) interface.
  kubectl -n kube-system set env daemonset/calico-node IP_AUTODETECTION_METHOD=kubernetes-internal-ip
fi

log "manifests from s3://$MANIFESTS_BUCKET/$MANIFESTS_KEY"
retry 5 10 aws s3 cp --only-show-errors "s3://$MANIFESTS_BUCKET/$MANIFESTS_KEY" "$MULTINIC_ETC/manifests.zip"
rm -rf "$MULTINIC_ETC/manifests"
mkdir -p "$MULTINIC_ETC/manifests"
python3 -m zipfile -e "$MULTINIC_ETC/manifests.zip" "$MULTINIC_ETC/manifests"
mapfile -t files < <(find "$MULTINIC_ETC/manifests" -type f -name '*.k8s.yaml' | sort)
if [ "${#files[@]}" -eq 0 ]; then
  log "no manifests to apply"
  exit 0
fi
args=()
for f in "${files[@]}"; do args+=(-f "$f"); done
# Retried: objects of a CustomResourceDefinition applied in the same run wait until it is established.
retry 12 10 kubectl apply --server-side --force-conflicts --field-manager=multinic "${args[@]}"
log "applied ${#files[@]} manifest files"
