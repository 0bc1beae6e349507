#!/bin/bash
# Worker: waits, with a bound, for the join data the control plane publishes, joins with its node IP, labels and the
# startup taint, then waits (same bound) until its Node is Ready, so the CloudFormation signal means a working node.
set -euo pipefail
# shellcheck source=lib.sh
. "${MULTINIC_LIB:-/usr/local/lib/multinic}/lib.sh"

deadline=$((SECONDS + JOIN_TIMEOUT))
log "waiting up to ${JOIN_TIMEOUT}s for join data in $JOIN_PARAMETER"
until value=$(aws ssm get-parameter --name "$JOIN_PARAMETER" --with-decryption --query Parameter.Value --output text 2>/dev/null); do
  if ((SECONDS >= deadline)); then
    die "no join data in $JOIN_PARAMETER after ${JOIN_TIMEOUT}s; is the control plane up? See /var/log/cloud-init-output.log there."
  fi
  sleep "${JOIN_POLL_SECONDS:-15}"
done
read -r endpoint token hash <<<"$value"
if ! [[ $endpoint =~ ^[0-9.]+:[0-9]+$ && $token =~ ^[a-z0-9]{6}\.[a-z0-9]{16}$ && $hash =~ ^sha256:[0-9a-f]{64}$ ]]; then
  die "join data in $JOIN_PARAMETER is malformed"
fi

node_ip=$(retry 10 3 imds local-ipv4)
node_name=$(hostname | tr '[:upper:]' '[:lower:]')
kubernetes=${MULTINIC_KUBERNETES_DIR:-/etc/kubernetes}
umask 077
cat >"$MULTINIC_ETC/kubeadm-join.yaml" <<CONF
apiVersion: kubeadm.k8s.io/v1beta4
kind: JoinConfiguration
discovery:
  bootstrapToken:
    apiServerEndpoint: "${endpoint}"
    token: "${token}"
    caCertHashes: ["${hash}"]
nodeRegistration:
  name: "${node_name}"
  kubeletExtraArgs:
    - name: node-ip
      value: "${node_ip}"
    - name: node-labels
      value: "${NODE_LABELS}"
  taints:
    - key: "${STARTUP_TAINT_KEY}"
      value: "${STARTUP_TAINT_VALUE}"
      effect: "${STARTUP_TAINT_EFFECT}"
CONF

until kubeadm join --config "$MULTINIC_ETC/kubeadm-join.yaml"; do
  if ((SECONDS >= deadline)); then
    die "kubeadm join to $endpoint kept failing for ${JOIN_TIMEOUT}s"
  fi
  log "kubeadm join failed; resetting and retrying"
  kubeadm reset -f >/dev/null 2>&1 || true
  sleep "${JOIN_POLL_SECONDS:-15}"
done
log "joined $endpoint"

# The kubelet's own credentials may read its Node (Node authorizer); Ready needs the cluster network (Calico) here.
until [ "$(kubectl --kubeconfig "$kubernetes/kubelet.conf" get node "$node_name" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]; do
  if ((SECONDS >= deadline)); then
    die "node $node_name joined but is not Ready after ${JOIN_TIMEOUT}s (kubectl describe node $node_name)"
  fi
  sleep "${JOIN_POLL_SECONDS:-15}"
done
log "node $node_name is Ready"
