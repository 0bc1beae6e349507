/**
 * The files of one node: containerd's config (version 4), the kubelet's and kube-proxy's, their kubeconfigs, the
 * registry mirrors, the metadata server's facts and the in-guest ENI script's node config. Pure text builders plus
 * one writer.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NetworkIntent } from '../../lib/intent/types';
import { nodeConfigFor, renderNodeConfig } from '../../lib/node/node-config';
import { API_PORT, type BoxNames, MGMT, REGISTRY_PORT } from '../box';
import { kubeconfigText, type Pki } from '../pki';
import type { BoxNode, BoxTopology } from '../topology';

/** containerd 2.3 (config version 4): sockets under the grpc/ttrpc plugins, NRI off, CNI from the node's dirs. */
export function containerdToml(nodeDir: string, runc: string, pauseRef: string): string {
  return `version = 4
root = "/var/lib/containerd"
state = "/run/containerd"
imports = []

[plugins.'io.containerd.server.v1.grpc']
  address = "/run/containerd/containerd.sock"
[plugins.'io.containerd.server.v1.ttrpc']
  address = "/run/containerd/containerd.sock.ttrpc"
[plugins.'io.containerd.server.v1.debug']
  address = ""
[plugins.'io.containerd.nri.v1.nri']
  disable = true

[plugins.'io.containerd.cri.v1.runtime']
  # root here lacks CAP_SYS_RESOURCE: runc cannot lower oom_score_adj (box.md).
  restrict_oom_score_adj = true
  [plugins.'io.containerd.cri.v1.runtime'.containerd]
    default_runtime_name = "runc"
    [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
        BinaryName = "${runc}"
        SystemdCgroup = false
  [plugins.'io.containerd.cri.v1.runtime'.cni]
    bin_dirs = ["/opt/cni/bin"]
    conf_dir = "/etc/cni/net.d"

[plugins.'io.containerd.cri.v1.images']
  [plugins.'io.containerd.cri.v1.images'.pinned_images]
    sandbox = "${pauseRef}"
  [plugins.'io.containerd.cri.v1.images'.registry]
    config_path = "${path.join(nodeDir, 'certs.d')}"
`;
}

/** `certs.d/<host>/hosts.toml`: every upstream registry of the images resolves and pulls from the box's registry. */
export function mirrorFiles(refs: readonly string[]): Map<string, string> {
  const hosts = new Set(refs.map((r) => r.split('/')[0]).filter((h) => h.includes('.') || h.includes(':')));
  const files = new Map<string, string>();
  for (const host of [...hosts].sort()) {
    const upstream = host === 'docker.io' ? 'https://registry-1.docker.io' : `https://${host}`;
    files.set(`${host}/hosts.toml`, `server = "${upstream}"\n\n[host."http://${MGMT.controlPlane}:${REGISTRY_PORT}"]\n  capabilities = ["pull", "resolve"]\n`);
  }
  return files;
}

export function kubeletYaml(names: BoxNames, node: BoxNode, pki: Pki): string {
  return `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous: { enabled: false }
  webhook: { enabled: true }
  x509: { clientCAFile: ${pki.caCert} }
authorization: { mode: Webhook }
cgroupDriver: cgroupfs
# The box's hosts run cgroup v1 (box.md); Kubernetes 1.35+ refuses it unless told.
failCgroupV1: false
cgroupRoot: /${names.nodeCgroup(node.name)}
containerRuntimeEndpoint: unix:///run/containerd/containerd.sock
podLogsDir: /var/log/pods
address: ${node.ip}
tlsCertFile: ${pki.cert(`node-${node.name}-serving`)}
tlsPrivateKeyFile: ${pki.key(`node-${node.name}-serving`)}
registerWithTaints:
${node.taints.map((t) => {
    const [kv, effect] = t.split(':');
    const [key, value] = kv.split('=');
    return `  - { key: ${key}, ${value !== undefined ? `value: "${value}", ` : ''}effect: ${effect} }`;
  }).join('\n')}
failSwapOn: false
resolvConf: ""
clusterDomain: cluster.local
serializeImagePulls: false
evictionHard: { memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%", nodefs.inodesFree: "1%" }
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
localStorageCapacityIsolation: false
`;
}

export function kubeProxyYaml(nodeDir: string, node: BoxNode, topo: BoxTopology): string {
  return `apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: { kubeconfig: ${path.join(nodeDir, 'kube-proxy.kubeconfig')} }
hostnameOverride: ${node.name}
clusterCIDR: ${topo.podCidr}
mode: iptables
# Node namespaces share the host's conntrack limits: kube-proxy leaves them alone.
conntrack: { maxPerCore: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s }
metricsBindAddress: 127.0.0.1:10249
`;
}

/** The metadata server's facts: the primary ENI on the management network, then the secondary ENIs. */
export function imdsFixture(node: BoxNode, topo: BoxTopology): object {
  return {
    primaryMac: node.mac,
    interfaces: [
      { mac: node.mac, deviceNumber: 0, localIpv4s: [node.ip], subnetCidr: MGMT.cidr, vpcCidrs: [topo.vpcCidr] },
      ...node.enis.map((e) => ({
        mac: e.mac, deviceNumber: e.deviceNumber, localIpv4s: e.ips, subnetCidr: e.subnetCidr, vpcCidrs: [topo.vpcCidr],
        ...(e.prefixes.length > 0 ? { ipv4Prefixes: e.prefixes } : {}),
      })),
    ],
  };
}

/** Writes every file of `node` into its directory (certificates are the caller's). */
export function writeNodeFiles(names: BoxNames, node: BoxNode, topo: BoxTopology, intent: NetworkIntent, pki: Pki,
  opts: { runc: string; pauseRef: string; imageRefs: readonly string[] }): void {
  const dir = names.nodeDir(node.name);
  fs.mkdirSync(dir, { recursive: true });
  const server = `https://${MGMT.controlPlane}:${API_PORT}`;
  const w = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);
  w('containerd.toml', containerdToml(dir, opts.runc, opts.pauseRef));
  w('kubelet.yaml', kubeletYaml(names, node, pki));
  w('kube-proxy.yaml', kubeProxyYaml(dir, node, topo));
  w('kubelet.kubeconfig', kubeconfigText(server, pki.caCert, pki.cert(`node-${node.name}`), pki.key(`node-${node.name}`), `system:node:${node.name}`));
  w('kube-proxy.kubeconfig', kubeconfigText(server, pki.caCert, pki.cert('kube-proxy'), pki.key('kube-proxy'), 'system:kube-proxy'));
  w('imds.json', JSON.stringify(imdsFixture(node, topo), null, 2));
  w('node.conf', renderNodeConfig(nodeConfigFor(intent, node.group)));
  fs.rmSync(path.join(dir, 'certs.d'), { recursive: true, force: true });
  for (const [file, text] of mirrorFiles(opts.imageRefs)) {
    fs.mkdirSync(path.join(dir, 'certs.d', path.dirname(file)), { recursive: true });
    w(path.join('certs.d', file), text);
  }
}
