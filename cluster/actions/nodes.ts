/**
 * One node per node of the intent (workers capped per group): network, cgroups, metadata server, then boot (as on
 * EC2: the ENI setup, containerd, kubelet, kube-proxy, the cluster network). Nodes that run already are left alone.
 * Then the control-plane role label (kubeadm's job on AWS) and routes between the nodes' pod CIDRs.
 */
import { clusterNetwork } from '../../lib/eks/cluster-network';
import { apiGet } from '../api';
import { kubectlOk } from '../kubectl';
import { must, waitFor } from '../provider/exec';
import { listNetns } from '../provider/discover';
import { writeNodeFiles } from '../provider/node-files';
import { bootNode, createNodeCgroups, createNodeNetwork, holderPid, startImds } from '../provider/node';
import type { Action, UpContext } from './context';

export const nodesAction: Action = {
  title: 'Starting the nodes',
  async execute(ctx: UpContext) {
    const { names, topo, pki } = ctx;
    const art = ctx.artifacts!;
    const existing = new Set(listNetns(names.nsPrefix));
    const started: string[] = [];
    // The stand-in takes the name and file of the intent flavour's cluster network (Calico's, or the VPC CNI's).
    const net = clusterNetwork(ctx.intent.spec.cluster.flavour, ctx.intent.spec.cluster.podCidr);
    for (const node of topo.nodes) {
      writeNodeFiles(names, node, topo, ctx.intent, pki, { runc: art.bin('runc'), pauseRef: art.pause.ref, imageRefs: art.images.map((i) => i.ref) });
      if (existing.has(names.nodeNs(node.name)) && holderPid(names, node.name) !== undefined) continue;
      createNodeNetwork(names, node, topo);
      createNodeCgroups(names, node);
      startImds(names, node);
      bootNode(names, node, { artifactsDir: art.dir, pauseTar: art.pause.file, kubeconfig: `${names.nodeDir(node.name)}/kubelet.kubeconfig`, holdEniSetup: ctx.holdEniSetup.includes(node.name), clusterNetwork: net });
      started.push(node.name);
    }
    for (const c of topo.capped) ctx.note(`node group ${c.group}: ${c.running} of ${c.count} nodes run in the box (workers are capped at ${c.running} per group)`);
    // Every node registered, with its pod CIDR.
    const cidrs = await waitFor('every node to register and get a pod CIDR', 120_000, async () => {
      const list = await apiGet<{ items: { metadata: { name: string }; spec?: { podCIDR?: string } }[] }>(ctx, '/api/v1/nodes').catch(() => ({ items: [] }));
      const map = new Map(list.items.map((n) => [n.metadata.name, n.spec?.podCIDR ?? ''] as [string, string]));
      return topo.nodes.every((n) => (map.get(n.name) ?? '') !== '') ? map : undefined;
    }, 200);
    for (const node of topo.nodes.filter((n) => n.role === 'control-plane')) {
      await kubectlOk(ctx, ['label', 'node', node.name, '--overwrite', 'node-role.kubernetes.io/control-plane=']);
    }
    // Pod CIDR routes between nodes (and from the control plane), as Calico's BGP would announce them.
    for (const node of topo.nodes) {
      const routes = topo.nodes.filter((o) => o !== node).map((o) => `route replace ${cidrs.get(o.name)} via ${o.ip}`);
      if (routes.length > 0) must('ip', ['-n', names.nodeNs(node.name), '-batch', '-'], { input: routes.join('\n') + '\n' });
    }
    must('ip', ['-n', names.cpNs, '-batch', '-'], { input: topo.nodes.map((o) => `route replace ${cidrs.get(o.name)} via ${o.ip}`).join('\n') + '\n' });
    return `${topo.nodes.length} node(s)${started.length < topo.nodes.length ? `, ${started.length} new` : ''}`;
  },
};
