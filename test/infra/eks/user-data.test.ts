process.env.CDK_VALIDATION = 'false';
import { parse } from 'yaml';
import { EC2_NET_UTILS_MASK, eksBootScript } from '../../../infra/eks/user-data';
import { NODE_PATHS } from '../../../infra/user-data';
import { NETWORKS_NOT_READY_TAINT } from '../../../lib/readiness';
import { NODE_CONFIG_PATH } from '../../../lib/node/node-config';
import { NETWORKD_UNMANAGED_PATH, UNIT_PATH } from '../../../lib/node/node-files';
import { logicalId, userDataParts } from '../util';
import { eksIntent, synthEks } from './util';

describe('EKS node user data', () => {
  // GIVEN the default intent as flavour eks, synthesized
  const { cluster } = synthEks(eksIntent());
  const parts = userDataParts(cluster, logicalId(cluster, 'AWS::EC2::LaunchTemplate', 'NodeGroupWorkersLaunchTemplate'));

  test('three MIME parts in the order nodeadm and cloud-init need: NodeConfig, cloud-config, shell script', () => {
    expect(parts.map((p) => p.contentType)).toEqual(['application/node.eks.aws', 'text/cloud-config; charset="utf-8"', 'text/x-shellscript; charset="utf-8"']);
  });

  test('the NodeConfig parses and names the cluster, its endpoint, CA and service CIDR, the corrected maxPods, the startup taint and the node labels', () => {
    const nc = parse(parts[0].body) as { apiVersion: string; kind: string; spec: { cluster: Record<string, string>; kubelet: { config: Record<string, unknown>; flags: string[] } } };
    expect(nc.apiVersion).toBe('node.eks.aws/v1alpha1');
    expect(nc.kind).toBe('NodeConfig');
    // CloudFormation fills the cluster's attributes in (flattened as <TOKEN> here)
    expect(nc.spec.cluster).toEqual({ name: '<TOKEN>', apiServerEndpoint: '<TOKEN>', certificateAuthority: '<TOKEN>', cidr: '10.96.0.0/12' });
    // m6i.large: 3 ENIs x 10 IPv4; multus0 takes one: 2 x 9 pod addresses + aws-node, kube-proxy, Multus (no
    // Whereabouts: every network of the default intent is eni-prefix)
    expect(nc.spec.kubelet.config.maxPods).toBe(21);
    expect(nc.spec.kubelet.config.registerWithTaints).toEqual([{ ...NETWORKS_NOT_READY_TAINT }]);
    expect(nc.spec.kubelet.flags).toEqual(['--node-labels=multinic.dev/node-group=workers,multinic.dev/interface-multus0=true']);
  });

  test('the cloud-config part writes the settings, the lib/node files, the ec2-net-utils mask and the ENI step', () => {
    expect(parts[1].body.startsWith('#cloud-config\n')).toBe(true);
    const cc = parse(parts[1].body) as { write_files: Array<{ path: string; permissions: string; content: string }> };
    const paths = cc.write_files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining([NODE_PATHS.envFile, NODE_CONFIG_PATH, UNIT_PATH, NETWORKD_UNMANAGED_PATH, EC2_NET_UTILS_MASK.path, NODE_PATHS.eniSetup]));
    const file = (p: string) => cc.write_files.find((f) => f.path === p)!;
    expect(file(NODE_PATHS.envFile).permissions).toBe('0600');
    expect(file(NODE_PATHS.envFile).content).toContain('MULTINIC_NODE_GROUP="workers"\n');
    expect(file(NODE_PATHS.envFile).content).toContain('SOURCE_DEST_CHECK_OFF=""\n');
    // the mask is a comment only: udev reads an empty rule file in /etc in place of ec2-net-utils' one in /usr/lib
    expect(file(EC2_NET_UTILS_MASK.path).content.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual([]);
    expect(file(NODE_PATHS.eniSetup).content).toContain('systemctl enable --now multinic-eni@boot.service');
    expect(file(NODE_CONFIG_PATH).content.split('\n')).toContain('interface 0 1 multus0');
  });

  test('the shell part is infra/eks/node/eks-boot.sh, which runs the ENI step before nodeadm starts the kubelet', () => {
    // (the MIME writer ends each part with a blank line before the next boundary)
    expect(parts[2].body.trimEnd()).toBe(eksBootScript().trimEnd());
    const boot = eksBootScript();
    expect(boot.indexOf('/etc/multinic/eni-setup.sh')).toBeGreaterThan(boot.indexOf('install -m 0755 "$lib/multinic-eni.sh"'));
    expect(boot).not.toMatch(/systemctl (start|restart) kubelet|nodeadm init/);
  });

  test('fits EC2\'s 16 KiB user-data limit with room to spare', () => {
    const size = parts.reduce((n, p) => n + Buffer.byteLength(p.body), 0);
    expect(size).toBeLessThan(12 * 1024);
  });
});
