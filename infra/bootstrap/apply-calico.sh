#!/bin/bash
# apply-calico.sh URL SHA256: applies Calico's manifest with server-side apply only when its sha256 is the pinned one,
# then pins Calico's address detection to the primary ENI. Idempotent: run at the control plane's first boot and on
# every deployment by apply-manifests.sh, so a Calico bump in lib/versions.ts reaches the cluster.
set -euo pipefail
# shellcheck source=lib.sh
. "${MULTINIC_LIB:-/usr/local/lib/multinic}/lib.sh"
url=${1:?usage: apply-calico.sh URL SHA256}
pinned=${2:?usage: apply-calico.sh URL SHA256}
export KUBECONFIG=${KUBECONFIG:-/etc/kubernetes/admin.conf}

manifest="$MULTINIC_ETC/calico.yaml"
log "Calico from $url"
retry 5 10 curl -fsSL "$url" -o "$manifest" || die "cannot download $url"
actual=$(sha256sum "$manifest" | cut -d' ' -f1)
if [ "$actual" != "$pinned" ]; then
  die "Calico manifest $url has sha256 $actual but $pinned is pinned: not applying it. Review the file, then pin its digest (lib/versions.ts, docs/deploy.md \"How to bump\")."
fi
retry 5 10 kubectl apply --server-side --force-conflicts --field-manager=multinic -f "$manifest" >/dev/null \
  || die "kubectl apply of the Calico manifest failed"
# "first-found" could pick a secondary (Multus) interface; the kubelet's --node-ip is the primary ENI's address.
retry 5 10 kubectl -n kube-system set env daemonset/calico-node IP_AUTODETECTION_METHOD=kubernetes-internal-ip >/dev/null \
  || die "cannot set IP_AUTODETECTION_METHOD on calico-node"
log "Calico applied"
