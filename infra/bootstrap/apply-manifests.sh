#!/bin/bash
# apply-manifests.sh BUCKET KEY CALICO_URL CALICO_SHA256 PRUNE_ALLOWLIST: run on the control plane by State Manager
# (the deployment's AWS::SSM::Association) whenever the manifests or the pins change, and once on a new control plane.
# Applies Calico, then every *.k8s.yaml of the manifests asset with server-side apply, and prunes the objects multinic
# applied before that the intent no longer has (label app.kubernetes.io/managed-by=multinic, kinds of the allowlist).
# A failure exits non-zero, so the association, and with it `cdk deploy`, fails.
set -euo pipefail
# shellcheck source=lib.sh
. "${MULTINIC_LIB:-/usr/local/lib/multinic}/lib.sh"
bucket=${1:?usage: apply-manifests.sh BUCKET KEY CALICO_URL CALICO_SHA256 PRUNE_ALLOWLIST}
key=${2:?missing KEY}
calico_url=${3:?missing CALICO_URL}
calico_sha256=${4:?missing CALICO_SHA256}
allowlist=${5:?missing PRUNE_ALLOWLIST}
export KUBECONFIG=${KUBECONFIG:-/etc/kubernetes/admin.conf}
managed=app.kubernetes.io/managed-by=multinic

"$MULTINIC_LIB/apply-calico.sh" "$calico_url" "$calico_sha256"

log "manifests from s3://$bucket/$key"
zip="$MULTINIC_ETC/manifests.zip"
dir="$MULTINIC_ETC/manifests"
retry 5 10 aws s3 cp --only-show-errors "s3://$bucket/$key" "$zip" || die "cannot download s3://$bucket/$key"
rm -rf "$dir"
mkdir -p "$dir"
python3 -m zipfile -e "$zip" "$dir"
mapfile -t files < <(find "$dir" -type f -name '*.k8s.yaml' | sort)
if [ "${#files[@]}" -eq 0 ]; then die "no *.k8s.yaml in s3://$bucket/$key"; fi
args=()
for f in "${files[@]}"; do args+=(-f "$f"); done
prune=()
for kind in $allowlist; do prune+=(--prune-allowlist "$kind"); done
# A bare Pod cannot change in place (lib/pod-spec.ts): each carries multinic.dev/pod-spec NAMESPACE/NAME/HASH; a
# running Pod whose value differs from the wanted one is deleted first, and the apply below creates it again.
mapfile -t wanted < <(grep -h -o 'multinic\.dev/pod-spec: "\?[^" ]*' "${files[@]}" | sed 's/^[^:]*: "\?//' || true)
if [ "${#wanted[@]}" -gt 0 ]; then
  live=$(retry 5 10 kubectl get pods -A -l "$managed" \
    -o jsonpath='{range .items[*]}{.metadata.namespace}/{.metadata.name} {.metadata.annotations.multinic\.dev/pod-spec}{"\n"}{end}') \
    || die "cannot list the Pods multinic applied before"
  for w in "${wanted[@]}"; do
    pod=${w%/*}
    current=$(awk -v p="$pod" '$1 == p { print ($2 == "" ? "-" : $2) }' <<<"$live")
    if [ -n "$current" ] && [ "$current" != "$w" ]; then
      log "Pod $pod changed: deleting it so that the apply creates it again"
      kubectl delete pod -n "${pod%%/*}" "${pod#*/}" --wait=true --timeout=120s >/dev/null || die "cannot delete Pod $pod"
    fi
  done
fi
# Retried: objects of a CustomResourceDefinition applied in the same run wait until it is established, and a bare Pod
# is refused until its new namespace has its default ServiceAccount.
retry 12 10 kubectl apply --server-side --force-conflicts --field-manager=multinic \
  --prune -l "$managed" "${prune[@]}" "${args[@]}" \
  || die "kubectl apply of ${#files[@]} manifest files failed"
log "applied ${#files[@]} manifest files (pruned what the intent no longer has)"
