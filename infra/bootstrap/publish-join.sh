#!/bin/bash
# Control plane: creates a fresh bootstrap token and publishes "endpoint token ca-hash" as an SSM SecureString,
# encrypted with this cluster's KMS key. Run at init and by multinic-join-renew.timer well before the token expires,
# so a worker that boots days later still joins.
set -euo pipefail
# shellcheck source=lib.sh
. "${MULTINIC_LIB:-/usr/local/lib/multinic}/lib.sh"
export KUBECONFIG=/etc/kubernetes/admin.conf

read -r -a words <<<"$(kubeadm token create --ttl "$JOIN_TOKEN_TTL" --print-join-command)"
endpoint=${words[2]:-}
token=""
hash=""
for ((i = 3; i < ${#words[@]} - 1; i++)); do
  case ${words[i]} in
    --token) token=${words[i + 1]} ;;
    --discovery-token-ca-cert-hash) hash=${words[i + 1]} ;;
  esac
done
if [ -z "$endpoint" ] || [ -z "$token" ] || [ -z "$hash" ]; then
  die "unexpected output of kubeadm token create --print-join-command"
fi

# The value goes through a private file, not the command line, so other processes never see the token.
umask 077
value_file=$(mktemp)
trap 'rm -f "$value_file"' EXIT
printf '%s %s %s' "$endpoint" "$token" "$hash" >"$value_file"
retry 5 10 aws ssm put-parameter --name "$JOIN_PARAMETER" --type SecureString --key-id "$JOIN_KEY_ARN" \
  --overwrite --value "file://$value_file" >/dev/null
log "published join data for $endpoint to $JOIN_PARAMETER (token valid $JOIN_TOKEN_TTL)"
