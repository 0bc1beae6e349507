import { VERSIONS } from '../lib/versions';

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
