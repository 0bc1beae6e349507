import * as path from 'node:path';
import { BoxNames } from '../../cluster/box';
import { Pki } from '../../cluster/pki';
import { containerdToml, imdsFixture, kubeletYaml, mirrorFiles } from '../../cluster/provider/node-files';
import { boxTopology } from '../../cluster/topology';
import { loadIntentFile } from '../../lib/intent/load';

const intent = loadIntentFile(path.join(__dirname, '..', 'fixtures', 'cluster', 'default-macvlan.yaml')).intent!;
const topo = boxTopology(intent, { macvlan: true, ipvlan: false });
const worker = topo.nodes.find((n) => n.name === 'workers-1')!;

describe('node files', () => {
  test('containerd: config version 4, sockets under the grpc plugin, NRI off, restrict_oom_score_adj, the pinned sandbox, mirrors', () => {
    const toml = containerdToml('/box/nodes/w1', '/art/bin/runc', 'registry.k8s.io/pause:3.10.2');
    expect(toml).toMatch(/^version = 4\n/);
    expect(toml).toContain("imports = []");
    expect(toml).toContain("[plugins.'io.containerd.server.v1.grpc']\n  address = \"/run/containerd/containerd.sock\"");
    expect(toml).toContain("[plugins.'io.containerd.nri.v1.nri']\n  disable = true");
    expect(toml).toContain('restrict_oom_score_adj = true');
    expect(toml).toContain('sandbox = "registry.k8s.io/pause:3.10.2"');
    expect(toml).toContain('config_path = "/box/nodes/w1/certs.d"');
    expect(toml).toContain('BinaryName = "/art/bin/runc"');
  });

  test('registry mirrors: one hosts.toml per upstream host, resolving and pulling from the box registry', () => {
    const files = mirrorFiles(['docker.io/library/alpine:3.20', 'ghcr.io/k8snetworkplumbingwg/whereabouts:v0.9.4', 'registry.k8s.io/pause:3.10.2']);
    expect([...files.keys()]).toEqual(['docker.io/hosts.toml', 'ghcr.io/hosts.toml', 'registry.k8s.io/hosts.toml']);
    expect(files.get('docker.io/hosts.toml')).toBe('server = "https://registry-1.docker.io"\n\n[host."http://100.64.0.2:5000"]\n  capabilities = ["pull", "resolve"]\n');
  });

  test('kubelet: cgroupfs on cgroup v1, its own cgroupRoot, the startup taint, the CA-signed serving certificate on the node address', () => {
    const yaml = kubeletYaml(new BoxNames('t'), worker, new Pki('/pki'));
    expect(yaml).toContain('cgroupDriver: cgroupfs');
    expect(yaml).toContain('failCgroupV1: false');
    expect(yaml).toContain('cgroupRoot: /multinic-box/t/workers-1');
    expect(yaml).toContain('  - { key: multinic.dev/networks-not-ready, value: "true", effect: NoSchedule }');
    expect(yaml).toContain(`address: ${worker.ip}`);
    expect(yaml).toContain('tlsCertFile: /pki/node-workers-1-serving.crt');
  });

  test('metadata server: the primary ENI on the management network, then each secondary ENI with its prefixes', () => {
    expect(imdsFixture(worker, topo)).toEqual({
      primaryMac: worker.mac,
      interfaces: [
        { mac: worker.mac, deviceNumber: 0, localIpv4s: [worker.ip], subnetCidr: '100.64.0.0/24', vpcCidrs: ['10.0.0.0/16'] },
        { mac: worker.enis[0].mac, deviceNumber: 1, localIpv4s: ['10.0.128.10'], subnetCidr: '10.0.128.0/24', vpcCidrs: ['10.0.0.0/16'], ipv4Prefixes: ['10.0.128.128/28', '10.0.128.144/28', '10.0.128.160/28', '10.0.128.176/28'] },
      ],
    });
  });
});
