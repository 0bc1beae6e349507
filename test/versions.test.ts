import { kubernetesMinorOf, SUPPORT, supportedKubernetesMinors, VERSIONS, VERSIONS_REVIEWED } from '../lib/versions';

describe('VERSIONS', () => {
  test.each([
    ['multus', VERSIONS.multus.image, `ghcr.io/k8snetworkplumbingwg/multus-cni:${VERSIONS.multus.version}-thick`],
    ['whereabouts', VERSIONS.whereabouts.image, `ghcr.io/k8snetworkplumbingwg/whereabouts:${VERSIONS.whereabouts.version}`],
  ])('%s image is the release tag of the pinned version', (_name, image, expected) => {
    expect(image).toBe(expected);
    expect(image).not.toMatch(/:(latest|snapshot|stable)/);
  });

  test('pinned releases are the ones the reference was checked against', () => {
    expect(VERSIONS.multus.version).toBe('v4.3.0');
    expect(VERSIONS.whereabouts.version).toBe('v0.9.4');
  });

  test('Multus daemon memory is well above the 50Mi that OOM-kills it, with request = limit', () => {
    // GIVEN "256Mi"-style quantities
    const mi = (q: string) => Number(/^(\d+)Mi$/.exec(q)?.[1]);
    // THEN
    expect(mi(VERSIONS.multus.resources.memory)).toBeGreaterThanOrEqual(256);
    expect(mi(VERSIONS.multus.initResources.memory)).toBeGreaterThanOrEqual(15);
  });

  test('the reconciler cron is upstream\'s daily 04:30', () => {
    expect(VERSIONS.whereabouts.reconcilerCronExpression).toBe('30 4 * * *');
  });
});

describe('pinned platform versions', () => {
  test('Kubernetes is 1.36.5 (the newest patch the Go module proxy builds), with kubeadm v1beta4', () => {
    expect(VERSIONS.kubernetes.version).toBe('v1.36.5');
    expect(VERSIONS.kubernetes.debVersion).toBe('1.36.5-1.1');
    expect(VERSIONS.kubernetes.kubeadmApi).toBe('kubeadm.k8s.io/v1beta4');
    expect(kubernetesMinorOf(VERSIONS.kubernetes.version)).toBe('1.36');
  });

  test('every pinned line supports the pinned Kubernetes minor', () => {
    expect(supportedKubernetesMinors()).toEqual(['1.36']);
    for (const w of Object.values(SUPPORT)) expect(w.kubernetesMinors).toContain(kubernetesMinorOf(VERSIONS.kubernetes.version));
  });

  test('containerd is the 2.3 LTS line (1.x is outside Kubernetes 1.36\'s support matrix)', () => {
    expect(VERSIONS.containerd.version).toMatch(/^v2\.3\.\d+$/);
  });

  test('Calico is pinned by a sha256 of its manifest at the tag it names', () => {
    expect(VERSIONS.calico.manifestSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(VERSIONS.calico.manifestUrl).toBe(`https://raw.githubusercontent.com/projectcalico/calico/${VERSIONS.calico.version}/manifests/calico.yaml`);
  });

  test('no support window ended before the pins were last reviewed, and each names its source', () => {
    for (const w of Object.values(SUPPORT)) {
      expect(w.reviewBy > VERSIONS_REVIEWED).toBe(true);
      if (w.endOfLife !== undefined) expect(w.reviewBy <= w.endOfLife).toBe(true);
      expect(w.source).toMatch(/^https:\/\//);
    }
  });

  test('kubernetesMinorOf reads both spellings and rejects a minor alone', () => {
    expect(kubernetesMinorOf('1.36.5')).toBe('1.36');
    expect(() => kubernetesMinorOf('1.36')).toThrow('not a Kubernetes patch version');
  });
});
