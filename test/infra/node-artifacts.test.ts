import { MultinicError } from '../../lib/errors';
import { VERSIONS } from '../../lib/versions';
import { assertPinned, AWS_CLI, BASE_CNI_PLUGINS, cniPluginsRequired, nodeArtifacts } from '../../infra/node-artifacts';
import { intentWith } from './util';

describe('nodeArtifacts', () => {
  const a = nodeArtifacts('1.36.5');

  test('every package is an exact version from a repository with a pinned key; every file has a sha256', () => {
    expect(() => assertPinned(a)).not.toThrow();
    expect(a.packages.map((p) => `${p.package}=${p.version}`)).toEqual([
      'containerd.io=2.3.6-1~ubuntu.24.04~noble', 'kubelet=1.36.5-1.1', 'kubeadm=1.36.5-1.1', 'kubectl=1.36.5-1.1', 'kubernetes-cni=1.9.1-1.1',
    ]);
    expect(a.repositories.find((r) => r.name === 'kubernetes')?.deb).toBe('https://pkgs.k8s.io/core:/stable:/v1.36/deb/ /');
    expect(a.files.map((f) => f.name)).toEqual(['aws-cli', 'calico']);
    expect(a.files.find((f) => f.name === 'calico')?.sha256).toBe(VERSIONS.calico.manifestSha256);
  });

  test('the containerd package is the 2.3 LTS line of lib/versions.ts', () => {
    const containerd = a.packages.find((p) => p.package === 'containerd.io')!;
    expect(containerd.version.split('.').slice(0, 2).join('.')).toBe(VERSIONS.containerd.version.slice(1).split('.').slice(0, 2).join('.'));
  });

  test.each([
    ['a file without a digest', { ...a, files: [{ ...AWS_CLI, sha256: 'UNPINNED' }] }, 'node artifact aws-cli'],
    ['a file over http', { ...a, files: [{ ...AWS_CLI, url: 'http://x/aws.zip' }] }, 'not fetched over https'],
    ['a short key id', { ...a, repositories: [{ ...a.repositories[0], keyFingerprint: '234654DA9A296436' }] }, 'repository kubernetes'],
    ['a wildcard version', { ...a, packages: [{ repository: 'kubernetes', package: 'kubelet', version: '1.36.*' }] }, 'package kubelet'],
    ['an unlisted repository', { ...a, packages: [{ repository: 'ppa', package: 'x', version: '1' }] }, 'not one of the pinned repositories'],
  ])('refuses %s', (_what, artifacts, message) => {
    let error: unknown;
    try { assertPinned(artifacts); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(MultinicError);
    expect((error as MultinicError).code).toBe('ARTIFACT_UNPINNED');
    expect((error as MultinicError).message).toContain(message);
    expect((error as MultinicError).message).toContain('How to bump');
  });
});

describe('cniPluginsRequired', () => {
  test('the default intent needs ipvlan and host-local (host-local and eni-prefix), beside the base plugins', () => {
    const plugins = cniPluginsRequired(intentWith().spec.networks);
    expect(plugins).toEqual(expect.arrayContaining([...BASE_CNI_PLUGINS, 'ipvlan', 'host-local']));
    expect(plugins).not.toContain('whereabouts');
    expect(plugins).not.toContain('eni-prefix');
    expect([...plugins].sort()).toEqual(plugins);
  });

  test('tuning and sbr when a network chains them; macvlan when one uses it', () => {
    const plugins = cniPluginsRequired(intentWith((raw: any) => {
      raw.spec.networks[0].sysctl = { 'net.ipv4.conf.all.arp_notify': '1' };
      raw.spec.networks[1].sbr = true;
    }).spec.networks);
    expect(plugins).toEqual(expect.arrayContaining(['tuning', 'sbr']));
  });
});
