#!/bin/bash
# multinic EKS node bootstrap: the shell part of an EKS node's user data (infra/eks/user-data.ts). cloud-init runs it
# after nodeadm's config phase read the NodeConfig part and after the cloud-config part wrote /etc/multinic/*, and
# before nodeadm-run.service starts the kubelet (it is ordered after cloud-final). So the secondary ENIs have their
# names, addresses and routes before the kubelet registers the node, as on the kubeadm path.
#
# It fetches the bundle (an S3 asset of this deployment that only the node role may read: the ENI script is too
# large for the 16 KiB user data), installs multinic-eni.sh, runs the ENI step and turns the source/destination check
# off where the intent says so. AL2023 ships the AWS CLI v2, curl and python3.
set -euo pipefail
set -a
# shellcheck source=/dev/null
. /etc/multinic/bootstrap.env
set +a
export AWS_DEFAULT_REGION="$AWS_REGION"
lib=/usr/local/lib/multinic

fatal() { echo "multinic eks boot: FATAL: $*" >&2; exit 1; }

bundle=$(mktemp)
for attempt in 1 2 3 4 5 6; do
  if aws s3 cp --only-show-errors "s3://$BUNDLE_BUCKET/$BUNDLE_KEY" "$bundle"; then break; fi
  echo "multinic eks boot: bundle download attempt $attempt failed" >&2
  if [ "$attempt" -eq 6 ]; then fatal "cannot download s3://$BUNDLE_BUCKET/$BUNDLE_KEY"; fi
  sleep 10
done
install -d -m 0755 "$lib"
python3 -m zipfile -e "$bundle" "$lib"
rm -f "$bundle"
chmod 0755 "$lib"/*.sh
install -m 0755 "$lib/multinic-eni.sh" /usr/local/sbin/multinic-eni.sh

# The ENI step (lib/node NODE_SETUP_COMMANDS, written by the cloud-config part): it enables multinic-eni@boot.service,
# which runs multinic-eni.sh now and before the kubelet at every boot.
/etc/multinic/eni-setup.sh
"$lib/source-dest-check.sh"
echo "multinic eks boot: ENIs ready; nodeadm starts the kubelet next" >&2
