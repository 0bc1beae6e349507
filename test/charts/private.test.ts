import * as path from 'path';
import { committedFilePath, loadCommittedCrd } from '../../charts/private/committed-crd';
import { assertPinnedImage, cpuMillis, memoryBytes } from '../../charts/private/k8s-values';

describe('memoryBytes', () => {
  test.each([
    ['256Mi', 256 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1G', 1e9],
    ['500k', 5e5],
    ['1048576', 1048576],
    ['1.5Gi', 1.5 * 2 ** 30],
  ])('%s is %d bytes', (q, bytes) => {
    expect(memoryBytes(q, 'here', 'CODE')).toBe(bytes);
  });

  test.each(['256MiB', '256 Mi', '-1Mi', 'Mi', ''])('rejects %j naming the place', (q) => {
    expect(() => memoryBytes(q, 'MultusThick x memoryRequest', 'CODE')).toThrow(expect.objectContaining({
      code: 'CODE',
      message: `MultusThick x memoryRequest: "${q}" is not a memory quantity; use e.g. "256Mi" or "1Gi"`,
    }));
  });
});

describe('cpuMillis', () => {
  test.each([['100m', 100], ['1', 1000], ['0.5', 500]])('%s is %d millicores', (q, m) => {
    expect(cpuMillis(q, 'here', 'CODE')).toBe(m);
  });

  test.each(['0', '0m', '100 m', 'one'])('rejects %j', (q) => {
    expect(() => cpuMillis(q, 'here', 'CODE')).toThrow(/is not a positive CPU quantity/);
  });
});

describe('assertPinnedImage', () => {
  test.each([
    'ghcr.io/k8snetworkplumbingwg/multus-cni:v4.3.0-thick',
    'localhost:5000/multus-cni:v4.3.0-thick',
    `ghcr.io/k8snetworkplumbingwg/whereabouts@sha256:${'a'.repeat(64)}`,
  ])('accepts %s', (image) => {
    expect(() => assertPinnedImage(image, 'here', 'CODE')).not.toThrow();
  });

  test.each([
    ['ghcr.io/x/multus-cni:snapshot-thick', '"snapshot-thick" is a moving tag'],
    ['ghcr.io/x/multus-cni:stable-thick', '"stable-thick" is a moving tag'],
    ['ghcr.io/x/whereabouts:latest', '"latest" is a moving tag'],
    ['ghcr.io/x/whereabouts', 'no tag means latest'],
    ['localhost:5000/whereabouts', 'no tag means latest'],
  ])('rejects %s', (image, reason) => {
    expect(() => assertPinnedImage(image, 'here', 'CODE')).toThrow(expect.objectContaining({
      code: 'CODE',
      message: expect.stringContaining(`here: image "${image}" is not pinned to a release (${reason})`),
    }));
  });
});

describe('committed CRDs', () => {
  test('resolves a committed file from the repository root', () => {
    expect(committedFilePath('crds/network-attachment-definitions.yaml'))
      .toBe(path.resolve(__dirname, '../../crds/network-attachment-definitions.yaml'));
  });

  test('loads the single CRD of a file', () => {
    expect(loadCommittedCrd('crds/whereabouts/ippools.yaml').metadata.name).toBe('ippools.whereabouts.cni.cncf.io');
  });

  test('refuses a file that is not a single CRD', () => {
    expect(() => loadCommittedCrd('package.json')).toThrow('package.json must hold exactly one apiextensions.k8s.io/v1 CustomResourceDefinition');
  });

  test('names a missing file', () => {
    expect(() => committedFilePath('crds/nope.yaml')).toThrow(/committed file crds\/nope.yaml not found/);
  });
});
