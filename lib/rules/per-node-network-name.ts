import { hasPerNodeConfig } from '../model/network-cni';
import type { ResolvedNetwork } from '../model/model';
import { perNodeCniFileName, type PrefixNetwork } from '../node/per-node-cni';
import { finding, type Finding, type Rule } from './types';

/** Whether some node group carries both networks' interfaces: a node of it holds both per-node files. */
function shareANode(a: ResolvedNetwork, b: ResolvedNetwork): boolean {
  return a.nodeGroups.some((g) => b.nodeGroups.includes(g));
}

/**
 * Networks whose NetworkAttachmentDefinition has no `spec.config` (IPAM `eni-prefix`) are found by Multus in the
 * node's `/etc/cni/multus/net.d` by the config's `name` alone, which is the network name without its namespace: the
 * first file in name order whose `name` matches wins (network-attachment-definition-client, GetCNIConfigFromFile).
 * Two such networks of one name in two namespaces on one node are one network to Multus; and two whose
 * `<namespace>-<name>` file names coincide overwrite each other's file.
 */
export const perNodeNetworkNameRule: Rule = {
  id: 'multinic:PerNodeNetworkNameClash',
  level: 'error',
  summary: 'Two networks whose configuration each node writes (eni-prefix) share a name in different namespaces, or a per-node file name, on one node.',
  why: 'Their NetworkAttachmentDefinitions have no spec.config, so Multus looks the configuration up in the node\'s /etc/cni/multus/net.d by the network name alone, without the namespace: pods of both networks get the file that sorts first (its prefixes, its host-local store), and the other network is never used.',
  fix: 'Give one of the two networks another name (names of eni-prefix networks must be unique across namespaces on a node).',
  check(_intent, model) {
    const findings: Finding[] = [];
    // The networks lib/node/node-config.ts writes a per-node file for (macvlan with eni-prefix is refused elsewhere).
    const perNode = model.networks.filter((n) => hasPerNodeConfig(n.network) && n.nodeGroups.length > 0
      && (n.network.type === 'ipvlan' || n.network.type === 'host-device'));
    perNode.forEach((n, i) => {
      const file = perNodeCniFileName(n.network as PrefixNetwork);
      const earlier = perNode.slice(0, i).find((m) => shareANode(m, n)
        && (m.network.name === n.network.name || perNodeCniFileName(m.network as PrefixNetwork) === file));
      if (!earlier) return;
      const groups = n.nodeGroups.filter((g) => earlier.nodeGroups.includes(g)).map((g) => g.name).join(', ');
      const sameName = earlier.network.name === n.network.name;
      const message = sameName
        ? `network "${n.key}" has the same name as "${earlier.key}" (spec.networks[${earlier.index}]); both are eni-prefix networks, whose NetworkAttachmentDefinitions have no spec.config, so on nodes of ${groups} Multus finds the configuration by the name "${n.network.name}" alone in /etc/cni/multus/net.d and cannot tell them apart`
        : `network "${n.key}" writes the per-node file "${file}", as "${earlier.key}" (spec.networks[${earlier.index}]) does; on nodes of ${groups} one file overwrites the other`;
      findings.push(finding(this, ['spec', 'networks', n.index, 'name'], message,
        `Rename "${n.key}" or "${earlier.key}": no two eni-prefix networks on one node may share a name, whatever their namespaces.`));
    });
    return findings;
  },
};
