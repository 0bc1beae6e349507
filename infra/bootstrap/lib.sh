# shellcheck shell=bash
# Helpers shared by the multinic bootstrap steps. Sourced, never run: it loads the node's settings
# ($MULTINIC_ETC/bootstrap.env, written by the user data) and defines log, die, retry and imds.
# MULTINIC_LIB and MULTINIC_ETC exist so the tests can run the steps in a scratch directory.

export MULTINIC_ETC=${MULTINIC_ETC:-/etc/multinic}
export MULTINIC_LIB=${MULTINIC_LIB:-/usr/local/lib/multinic}
set -a
# shellcheck source=/dev/null
. "$MULTINIC_ETC/bootstrap.env"
set +a
# The AWS CLI comes from a snap; cloud-init's PATH does not always include /snap/bin.
export PATH="$PATH:/snap/bin"
export AWS_DEFAULT_REGION="$AWS_REGION"

log() { printf '%s multinic[%s]: %s\n' "$(date -u +%FT%TZ)" "${0##*/}" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }

# retry TRIES SLEEP CMD...: runs CMD until it succeeds, at most TRIES times, SLEEP seconds apart.
retry() {
  local tries=$1 pause=$2 i
  shift 2
  for ((i = 1; i <= tries; i++)); do
    if "$@"; then return 0; fi
    log "attempt $i/$tries failed: $1"
    if ((i < tries)); then sleep "$pause"; fi
  done
  return 1
}

# imds PATH: one IMDSv2 read of latest/meta-data/PATH (the launch template requires tokens).
imds() {
  local token base=${MULTINIC_IMDS_ENDPOINT:-http://169.254.169.254}
  token=$(curl -fsS --max-time 5 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' "$base/latest/api/token") || return 1
  curl -fsS --max-time 5 -H "X-aws-ec2-metadata-token: $token" "$base/latest/meta-data/$1"
}
