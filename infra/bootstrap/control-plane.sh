#!/bin/bash
# Control plane: kubeadm init with the intent's pod and service CIDRs and the startup taint, join data to SSM
# (renewed by a timer), Calico at its pinned digest, then waits until this node is Ready. The manifests of the cdk8s
# app are applied by apply-manifests.sh, which State Manager runs on every deployment (docs/deploy.md).
set -euo pipefail
# shellcheck source=lib.sh
. "${MULTINIC_LIB:-/usr/local/lib/multinic}/lib.sh"

node_ip=$(retry 10 3 imds local-ipv4)
node_name=$(hostname | tr '[:upper:]' '[:lower:]')
kubernetes=${MULTINIC_KUBERNETES_DIR:-/etc/kubernetes}

if [ ! -f "$kubernetes/admin.conf" ]; then
  # A control plane that finds the join data of this deployment already published was replaced: a kubeadm init here
  # would start a new, empty cluster on a new address and orphan every worker. Refuse, and so fail the deployment.
  if aws ssm get-parameter --name "$JOIN_PARAMETER" --query Parameter.Name --output text >/dev/null 2>&1; then
    die "this deployment's cluster was initialised by an earlier control-plane instance ($JOIN_PARAMETER exists) and this instance has no /etc/kubernetes/admin.conf: refusing to kubeadm init a new, empty cluster. See docs/deploy.md, \"Control plane replacement\"."
  fi
fi

umask 077
cat >"$MULTINIC_ETC/kubeadm-init.yaml" <<CONF
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint:
  advertiseAddress: "${node_ip}"
  bindPort: 6443
nodeRegistration:
  name: "${node_name}"
  kubeletExtraArgs:
    - name: node-ip
      value: "${node_ip}"
    - name: node-labels
      value: "${NODE_LABELS}"
  # Setting taints replaces kubeadm's default, so the control-plane taint is listed again.
  taints:
    - key: node-role.kubernetes.io/control-plane
      effect: NoSchedule
    - key: "${STARTUP_TAINT_KEY}"
      value: "${STARTUP_TAINT_VALUE}"
      effect: "${STARTUP_TAINT_EFFECT}"
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

if [ ! -f "$kubernetes/admin.conf" ]; then
  log "kubeadm init (Kubernetes v$K8S_VERSION, pods $POD_CIDR, services $SERVICE_CIDR)"
  kubeadm init --config "$MULTINIC_ETC/kubeadm-init.yaml"
fi
export KUBECONFIG="$kubernetes/admin.conf"

"$MULTINIC_LIB/publish-join.sh"
systemctl daemon-reload
systemctl enable --now multinic-join-renew.timer multinic-drain.timer

"$MULTINIC_LIB/apply-calico.sh" "$CALICO_URL" "$CALICO_SHA256"

log "waiting for node $node_name to be Ready"
retry 60 10 kubectl wait --for=condition=Ready "node/$node_name" --timeout=10s >/dev/null \
  || die "node $node_name is not Ready 10 minutes after Calico was applied (kubectl -n kube-system get pods -o wide)"
log "control plane $node_name is Ready"
