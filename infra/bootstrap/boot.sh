#!/bin/bash
# multinic node bootstrap: the shell part of the user data, run once by cloud-init after the cloud-config part wrote
# /etc/multinic/bootstrap.env and the node files. It installs the pinned AWS CLI, fetches the bundle of steps (an S3
# asset of this deployment that the node role alone may read; too large for the 16 KiB user data), runs them in order
# and tells CloudFormation how it went: SUCCESS once the role's step is done (node joined and Ready; on the control
# plane also Calico applied), FAILURE with the failing step as soon as one fails. The SignalResource API has no
# reason field, so the failing step is carried in the signal's unique id ("i-0123...-failed-runtime.sh"), which
# CloudFormation prints in the resource's event; the step's own output is in /var/log/cloud-init-output.log.
set -euo pipefail
etc=${MULTINIC_ETC:-/etc/multinic}
lib=${MULTINIC_LIB:-/usr/local/lib/multinic}
set -a
# shellcheck source=/dev/null
. "$etc/bootstrap.env"
set +a
export PATH="/usr/local/bin:$PATH"
export AWS_DEFAULT_REGION="$AWS_REGION"

step=start
instance_id=unknown
say() { printf '%s multinic boot [%s]: %s\n' "$(date -u +%FT%TZ)" "$step" "$*" >&2; }

imds() {
  local token base=${MULTINIC_IMDS_ENDPOINT:-http://169.254.169.254}
  token=$(curl -fsS --max-time 5 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' "$base/latest/api/token") || return 1
  curl -fsS --max-time 5 -H "X-aws-ec2-metadata-token: $token" "$base/latest/meta-data/$1"
}

# The Auto Scaling group this instance belongs to, by its zone letter: SIGNAL_RESOURCES is "a:LogicalIdA b:LogicalIdB"
# (one group per zone) or "*:LogicalId" (one group for every zone).
signal_resource() {
  local zone entry
  zone=$(imds placement/availability-zone) || return 1
  zone=${zone: -1}
  for entry in $SIGNAL_RESOURCES; do
    case ${entry%%:*} in "$zone" | '*') echo "${entry#*:}"; return 0 ;; esac
  done
  return 1
}

# signal STATUS [DETAIL]: one SignalResource call for this instance (at most 64 characters of unique id).
signal() {
  local resource id=$instance_id
  resource=$(signal_resource) || { say "no Auto Scaling group of this zone in SIGNAL_RESOURCES ($SIGNAL_RESOURCES)"; return 1; }
  if [ -n "${2:-}" ]; then id="$id-$2"; fi
  id=$(printf '%s' "$id" | tr -c 'A-Za-z0-9._-' '_' | cut -c1-64)
  aws cloudformation signal-resource --stack-name "$STACK_NAME" --logical-resource-id "$resource" \
    --unique-id "$id" --status "$1"
}

on_exit() {
  local rc=$?
  if [ "$rc" -ne 0 ]; then
    say "FATAL: step $step failed (exit $rc); signalling FAILURE"
    signal FAILURE "failed-$step" || say "could not signal CloudFormation; the creation policy times out instead"
  fi
}
trap on_exit EXIT

retry() {
  local tries=$1 pause=$2 i
  shift 2
  for ((i = 1; i <= tries; i++)); do
    if "$@"; then return 0; fi
    say "attempt $i/$tries failed: $1"
    if ((i < tries)); then sleep "$pause"; fi
  done
  return 1
}

instance_id=$(retry 10 3 imds instance-id)

step=aws-cli
# The AWS CLI at the pinned release, checked by sha256 before it runs (infra/node-artifacts.ts AWS_CLI).
if ! aws --version 2>/dev/null | grep -q "^aws-cli/$AWS_CLI_VERSION "; then
  export DEBIAN_FRONTEND=noninteractive
  retry 5 10 apt-get update -q
  retry 5 10 apt-get install -y -q unzip
  zip=$(mktemp)
  retry 6 10 curl -fsSL "$AWS_CLI_URL" -o "$zip"
  echo "$AWS_CLI_SHA256  $zip" | sha256sum -c --status - || { say "$AWS_CLI_URL does not have the pinned sha256 $AWS_CLI_SHA256"; exit 1; }
  unpacked=$(mktemp -d)
  unzip -q "$zip" -d "$unpacked"
  "$unpacked/aws/install" --update
  rm -rf "$zip" "$unpacked"
fi

step=bundle
bundle=$(mktemp)
retry 6 10 aws s3 cp --only-show-errors "s3://$BUNDLE_BUCKET/$BUNDLE_KEY" "$bundle"
install -d -m 0755 "$lib"
python3 -m zipfile -e "$bundle" "$lib"
rm -f "$bundle"
chmod 0755 "$lib"/*.sh
install -m 0755 "$lib/multinic-eni.sh" "${MULTINIC_SBIN:-/usr/local/sbin}/multinic-eni.sh"

# The order is the contract: the ENI step names and configures the secondary interfaces before runtime.sh installs
# (and so starts) kubelet. eni-setup.sh (written by the cloud-config part) runs the setup commands of lib/node:
# it enables multinic-eni@boot.service, which runs multinic-eni.sh now and before kubelet at every boot.
step=prepare.sh; "$lib/prepare.sh"
step=eni-setup.sh; "$etc/eni-setup.sh"
step=source-dest-check.sh; "$lib/source-dest-check.sh"
step=runtime.sh; "$lib/runtime.sh"
case "$MULTINIC_ROLE" in
  control-plane) step=control-plane.sh; "$lib/control-plane.sh" ;;
  worker) step=worker.sh; "$lib/worker.sh" ;;
  *) say "unknown MULTINIC_ROLE \"$MULTINIC_ROLE\""; exit 1 ;;
esac
step=signal
retry 5 5 signal SUCCESS
say "complete"
