/**
 * The script a self-test client runs (bash, curl, jq, ping: all in SELFTEST_IMAGE). It reads only its own
 * environment and the two server pods (GET by name, the one thing its Role allows), waits for both to be Running
 * with an eth0 and a net1 address in `k8s.v1.cni.cncf.io/network-status`, pings each case bound to the interface
 * (`ping -I eth0|net1`, so "over net1" means from this pod's net1, which the unattached client lacks), and prints
 * one line per case in the format of `result-line.ts`. A net1 ping passes only when the server itself answered: not
 * when the address is the client's own (`ip route get` says local), nor when the neighbour entry that answered has
 * another MAC than the server's net1 in its network-status (another pod holds the same address: host-local hands out
 * the same addresses on every node). On AWS the VPC answers ARP in a subnet with the MAC of the ENI that holds the
 * address, which ipvlan children share with their master, so the check holds there too (docs/aws-routing.md). Exit 0 once every case ran (failures are results, not
 * errors); exit 1 with an ERROR line when the servers are not ready in time.
 *
 * Parameters come from the environment (`clientEnv`), never from text substituted into the script.
 */
import { SELFTEST_DEFAULTS, SELFTEST_IFNAME, type ClientRole, type SelftestNetwork } from './matrix';
import { DONE_TAG, ERROR_TAG, RESULT_TAG } from './result-line';
import { NETWORK_STATUS_ANNOTATION } from '../verify/network-status';

export const CLIENT_SCRIPT = `#!/bin/bash
# multinic connectivity self-test client (docs/aws-routing.md, "Connectivity self-test").
# Env: NETWORK NAD CLIENT SERVERS CASES WAIT_SECONDS PING_COUNT PING_TIMEOUT POD_NAME NODE_NAME
# Optional (tests): KUBE_API SA_DIR POLL_SECONDS
set -u
api=\${KUBE_API:-https://\${KUBERNETES_SERVICE_HOST}:\${KUBERNETES_SERVICE_PORT}}
sa=\${SA_DIR:-/var/run/secrets/kubernetes.io/serviceaccount}
ns=$(cat "$sa/namespace")
token=$(cat "$sa/token")
deadline=$(( $(date +%s) + WAIT_SECONDS ))
declare -A node eth0 net1 mac1
# Who answered a ping of $1 over net1, whose server has MAC $2: "server", "self" (the address is this pod's own) or
# the MAC of the neighbour that did. Routed addresses (a gateway answers ARP), servers without a MAC and interfaces
# without neighbour entries count as server.
answered() {
  local route lladdr
  route=$(ip route get "$1" oif ${SELFTEST_IFNAME} 2>/dev/null | head -n 1)
  case "$route" in
    'local '*) echo self; return ;;
    *' via '*) echo server; return ;;
  esac
  if [ "$2" = - ]; then echo server; return; fi
  lladdr=$(ip neigh show "$1" dev ${SELFTEST_IFNAME} 2>/dev/null | awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }' | head -n 1)
  # (no neighbour entry, as on an interface without ARP such as ipvlan l3: nothing to tell the answer by)
  if [ -z "$lladdr" ] || [ "\${lladdr,,}" = "\${2,,}" ]; then echo server; else echo "$lladdr"; fi
}
pending=$SERVERS
while [ -n "$pending" ]; do
  left=""
  for s in $pending; do
    row=$(curl -sf --max-time 5 --cacert "$sa/ca.crt" -H "Authorization: Bearer $token" "$api/api/v1/namespaces/$ns/pods/$s" |
      jq -r --arg nad "$NAD" --arg ifname "${SELFTEST_IFNAME}" '
        (.metadata.annotations["${NETWORK_STATUS_ANNOTATION}"] // "[]" | fromjson) as $st
        | [ (.status.phase // "-"), (.spec.nodeName // "-"),
            (([$st[] | select(.default == true) | .ips[0]] | first) // .status.podIP // "-"),
            (([$st[] | select(.name == $nad and .interface == $ifname) | .ips[0]] | first) // "-"),
            (([$st[] | select(.name == $nad and .interface == $ifname) | .mac] | first) // "-") ]
        | join(" ")') || row=""
    read -r phase n a4 a1 m1 < <(echo "\${row:-- - - - -}")
    if [ "$phase" = Running ] && [ "$n" != - ] && [ "$a4" != - ] && [ "$a1" != - ]; then
      node[$s]=$n; eth0[$s]=$a4; net1[$s]=$a1; mac1[$s]=\${m1:--}
    else
      left="$left $s"
    fi
  done
  pending=\${left# }
  if [ -n "$pending" ]; then
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "${ERROR_TAG} network=$NETWORK client=$CLIENT reason=servers-not-ready servers=\${pending// /,} waited=\${WAIT_SECONDS}s"
      exit 1
    fi
    sleep "\${POLL_SECONDS:-2}"
  fi
done
count=0
for c in $CASES; do
  s=\${c%%:*}; rest=\${c#*:}; via=\${rest%%:*}; expect=\${rest#*:}
  if [ "$via" = eth0 ]; then addr=\${eth0[$s]}; else addr=\${net1[$s]}; fi
  same=no
  if [ "\${node[$s]}" = "$NODE_NAME" ]; then same=yes; fi
  by=""
  if ping -I "$via" -c "$PING_COUNT" -W "$PING_TIMEOUT" "$addr" > /dev/null 2>&1; then
    result=pass
    if [ "$via" = ${SELFTEST_IFNAME} ]; then
      who=$(answered "$addr" "\${mac1[$s]}")
      if [ "$who" != server ]; then result=fail; by=" answered=$who"; fi
    fi
  else
    result=fail
  fi
  echo "${RESULT_TAG} network=$NETWORK client=$CLIENT from=$POD_NAME@$NODE_NAME to=$s@\${node[$s]} via=$via same-node=$same expect=$expect result=$result$by"
  count=$((count + 1))
done
echo "${DONE_TAG} network=$NETWORK client=$CLIENT cases=$count"
`;

/** The environment of one client (downward-API POD_NAME and NODE_NAME are added by the chart). */
export function clientEnv(net: SelftestNetwork, client: ClientRole, defaults: typeof SELFTEST_DEFAULTS = SELFTEST_DEFAULTS): Record<string, string> {
  return {
    NETWORK: net.network.key,
    NAD: net.network.key,
    CLIENT: client,
    SERVERS: net.servers.map((s) => s.pod).join(' '),
    CASES: net.cases.filter((c) => c.client === client).map((c) => `${c.server}:${c.via}:${c.expect}`).join(' '),
    WAIT_SECONDS: String(defaults.waitSeconds),
    PING_COUNT: String(defaults.pingCount),
    PING_TIMEOUT: String(defaults.pingTimeoutSeconds),
  };
}
