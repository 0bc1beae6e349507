import { findModelClass, validateManifests } from './k8s-schema';

const validConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'kube-system' }, data: { a: 'b' } };
const validNad = {
  apiVersion: 'k8s.cni.cncf.io/v1',
  kind: 'NetworkAttachmentDefinition',
  metadata: { name: 'macvlan-a', namespace: 'default' },
  spec: { config: '{"cniVersion":"1.0.0","name":"macvlan-a","type":"macvlan"}' },
};
const validDaemonSet = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'ds', namespace: 'kube-system' },
  spec: {
    selector: { matchLabels: { name: 'ds' } },
    template: {
      metadata: { labels: { name: 'ds' } },
      spec: { containers: [{ name: 'c', image: 'busybox:1.36', resources: { limits: { memory: '64Mi' } } }] },
    },
  },
};

describe('findModelClass', () => {
  test.each([
    ['v1', 'ConfigMap'],
    ['apps/v1', 'DaemonSet'],
    ['rbac.authorization.k8s.io/v1', 'ClusterRole'],
    ['apiextensions.k8s.io/v1', 'CustomResourceDefinition'],
  ])('finds the kubernetes-models class for %s %s', (apiVersion, kind) => {
    // GIVEN / WHEN
    const cls = findModelClass(apiVersion, kind);
    // THEN
    expect(cls.apiVersion).toBe(apiVersion);
    expect(cls.kind).toBe(kind);
  });

  test.each([
    ['apps/v1', 'DaemonSetSpec'], // a nested type, not a resource
    ['v1', 'Frobnicator'],
    ['k8s.cni.cncf.io/v1', 'NetworkAttachmentDefinition'],
  ])('returns undefined for %s %s', (apiVersion, kind) => {
    expect(findModelClass(apiVersion, kind)).toBeUndefined();
  });
});

describe('validateManifests', () => {
  test('accepts valid built-in objects and a valid NAD', () => {
    // GIVEN / WHEN
    const errors = validateManifests([validConfigMap, validDaemonSet, validNad]);
    // THEN
    expect(errors).toEqual([]);
  });

  test('reports a wrongly typed field with the object and the path', () => {
    // GIVEN a DaemonSet with hostPID as a string and a memory limit that is not a quantity
    const broken = JSON.parse(JSON.stringify(validDaemonSet));
    broken.spec.template.spec.hostPID = 'yes';
    broken.spec.template.spec.containers[0].resources.limits.memory = 'lots';
    // WHEN
    const errors = validateManifests([validConfigMap, broken]);
    // THEN
    expect(errors).toContain('[1] apps/v1 DaemonSet kube-system/ds: /spec/template/spec/hostPID: must be boolean');
    expect(errors).toContain('[1] apps/v1 DaemonSet kube-system/ds: /spec/template/spec/containers/0/resources/limits/memory: must match format "quantity"');
  });

  test('reports a missing required field of a built-in kind', () => {
    // GIVEN a DaemonSet without selector
    const broken = JSON.parse(JSON.stringify(validDaemonSet));
    delete broken.spec.selector;
    // WHEN / THEN
    expect(validateManifests([broken])).toEqual(['[0] apps/v1 DaemonSet kube-system/ds: /spec: missing required field "selector"']);
  });

  test('reports an unknown kind instead of skipping it', () => {
    // GIVEN
    const unknown = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' } };
    // WHEN / THEN
    expect(validateManifests([unknown])).toEqual([
      '[0] example.com/v1 Widget default/w: unknown kind: not a Kubernetes built-in known to kubernetes-models and not defined by any known CRD',
    ]);
  });

  test.each([
    ['spec.config is not a string', { config: { type: 'macvlan' } }, '/spec/config: must be string'],
    ['spec has an unknown field', { config: '{}', cfg: '{}' }, '/spec: unknown field "cfg"'],
  ])('validates a NAD against the CRD schema: %s', (_title, spec, expected) => {
    // GIVEN
    const nad = { ...validNad, spec };
    // WHEN / THEN
    expect(validateManifests([nad])).toEqual([`[0] k8s.cni.cncf.io/v1 NetworkAttachmentDefinition default/macvlan-a: ${expected}`]);
  });

  test('validates custom resources against a CRD emitted beside them', () => {
    // GIVEN a CRD among the objects and two resources of its kind
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { kind: 'Widget', plural: 'widgets', singular: 'widget' },
        versions: [{
          name: 'v1', served: true, storage: true,
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', required: ['size'], properties: { size: { type: 'integer' } } } } } },
        }],
      },
    };
    const good = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1', namespace: 'default' }, spec: { size: 3 } };
    const bad = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w2', namespace: 'default' }, spec: {} };
    // WHEN
    const errors = validateManifests([crd, good, bad]);
    // THEN
    expect(errors).toEqual(['[2] example.com/v1 Widget default/w2: /spec: missing required field "size"']);
  });

  test('reports a CRD whose own shape is broken', () => {
    // GIVEN a CRD without spec.names
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: { group: 'example.com', scope: 'Namespaced', versions: [] },
    };
    // WHEN / THEN
    expect(validateManifests([crd])).toEqual([
      '[0] apiextensions.k8s.io/v1 CustomResourceDefinition widgets.example.com: /spec: missing required field "names"',
    ]);
  });

  test('reports a duplicate object, but not the same name in another namespace or kind', () => {
    // GIVEN
    const otherNs = { ...validConfigMap, metadata: { name: 'cm', namespace: 'default' } };
    const otherKind = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'cm', namespace: 'kube-system' } };
    // WHEN / THEN
    expect(validateManifests([validConfigMap, otherNs, otherKind, validConfigMap])).toEqual([
      '[3] v1 ConfigMap kube-system/cm: duplicate of object [0] (same group, kind, namespace and name)',
    ]);
  });

  test.each([
    ['no metadata.name', { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }, '[0] v1 ConfigMap <no name>: metadata.name is missing (every object multinic emits has a name)'],
    ['no kind', { apiVersion: 'v1', metadata: { name: 'x' } }, '[0] v1 <no kind> x: apiVersion and kind must be strings'],
    ['a namespaced custom resource without namespace', { ...validNad, metadata: { name: 'n' } }, '[0] k8s.cni.cncf.io/v1 NetworkAttachmentDefinition n: namespaced custom resource without metadata.namespace'],
  ])('reports %s', (_title, obj, expected) => {
    expect(validateManifests([obj])).toEqual([expected]);
  });
});
