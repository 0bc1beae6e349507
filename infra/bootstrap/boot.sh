#!/bin/bash
# multinic node bootstrap: the shell part of the user data, run once by cloud-init after the cloud-config part wrote
# /etc/multinic/bootstrap.env and the node files. It fetches the bundle of steps (an S3 asset of this deployment that
# the node role alone may read; too large for the 16 KiB user data) and runs them in order.
set -euo pipefail
set -a
# shellcheck source=/dev/null
. /etc/multinic/bootstrap.env
set +a
export PATH="$PATH:/snap/bin"
export AWS_DEFAULT_REGION="$AWS_REGION"
lib=/usr/local/lib/multinic

fatal() { echo "multinic boot: FATAL: $*" >&2; exit 1; }

for attempt in 1 2 3 4 5 6; do
  if command -v aws >/dev/null 2>&1; then break; fi
  snap install aws-cli --classic || { echo "multinic boot: AWS CLI install attempt $attempt failed" >&2; sleep 10; }
done
command -v aws >/dev/null 2>&1 || fatal "cannot install the AWS CLI (snap aws-cli)"

bundle=$(mktemp)
for attempt in 1 2 3 4 5 6; do
  if aws s3 cp --only-show-errors "s3://$BUNDLE_BUCKET/$BUNDLE_KEY" "$bundle"; then break; fi
  echo "multinic boot: bundle download attempt $attempt failed" >&2
  if [ "$attempt" -eq 6 ]; then fatal "cannot download s3://$BUNDLE_BUCKET/$BUNDLE_KEY"; fi
  sleep 10
done
install -d -m 0755 "$lib"
python3 -m zipfile -e "$bundle" "$lib"
rm -f "$bundle"
chmod 0755 "$lib"/*.sh
install -m 0755 "$lib/multinic-eni.sh" /usr/local/sbin/multinic-eni.sh

# The order is the contract: the ENI step names and configures the secondary interfaces before runtime.sh installs
# (and so starts) kubelet. eni-setup.sh (written by the cloud-config part) runs the setup commands of lib/node:
# it enables multinic-eni@boot.service, which runs multinic-eni.sh now and before kubelet at every boot.
"$lib/prepare.sh"
/etc/multinic/eni-setup.sh
"$lib/source-dest-check.sh"
"$lib/runtime.sh"
case "$MULTINIC_ROLE" in
  control-plane) "$lib/control-plane.sh" ;;
  worker) "$lib/worker.sh" ;;
  *) fatal "unknown MULTINIC_ROLE \"$MULTINIC_ROLE\"" ;;
esac
echo "multinic boot: complete" >&2
