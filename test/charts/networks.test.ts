import Ajv from 'ajv';
import { Testing } from 'cdk8s';
import { NetworksChart } from '../../charts/networks/networks-chart';
import { CNI_CONFIG_SCHEMA } from '../../lib/cni';
import { nadConfigJson } from '../../lib/model/network-cni';
import { defaultModel, seedFaithfulModel } from '../util/default-model';
import { validateManifests } from '../util/k8s-schema';

describe('NetworksChart', () => {
  // GIVEN the default intent
  const model = defaultModel();
  const app = Testing.app();
  const chart = new NetworksChart(app, 'networks', { model });
  const objects = Testing.synth(chart);
  // AND the seed-faithful example: the seed's host-local and Whereabouts networks, cluster-wide configs
  const faithfulModel = seedFaithfulModel();
  const faithful = Testing.synth(new NetworksChart(Testing.app(), 'networks', { model: faithfulModel }));

  test('emits every non-builtin namespace the intent uses, once', () => {
    expect(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name)).toEqual(['dcjeon', 'redhet-demo']);
  });

  test('one NetworkAttachmentDefinition per network, in its namespace; the default intent\'s are all per-node (eni-prefix)', () => {
    const nads = objects.filter((o) => o.kind === 'NetworkAttachmentDefinition');
    expect(nads.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'default/ipvlan-conf', 'dcjeon/whereabouts-eth1-conf', 'redhet-demo/ipvlan-whereabouts-net-attach-def', 'redhet-demo/routable-net',
    ]);
    expect(nads.map((o) => o.spec)).toEqual([undefined, undefined, undefined, undefined]);
  });

  test('a network with a cluster-wide config gets it from the CNI builders (the seed-faithful example)', () => {
    const nads = faithful.filter((o) => o.kind === 'NetworkAttachmentDefinition');
    expect(nads).toHaveLength(4);
    nads.slice(0, 3).forEach((nad, i) => expect(nad.spec.config).toBe(nadConfigJson(faithfulModel.intent.spec.networks[i])));
  });

  test('an eni-prefix network gets a NAD without spec.config: Multus reads the per-node file named like it', () => {
    // GIVEN routable-net (ipam eni-prefix) WHEN synthesised
    const nad = objects.find((o) => o.kind === 'NetworkAttachmentDefinition' && o.metadata.name === 'routable-net');
    // THEN it has no spec at all (Multus then looks in /etc/cni/multus/net.d/ for a config whose name is the NAD's)
    expect(nad).toEqual({
      apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name: 'routable-net', namespace: 'redhet-demo' },
    });
    // AND asking lib/cni for its cluster-wide config is refused, saying why
    expect(() => nadConfigJson(model.intent.spec.networks[3])).toThrow(
      'network "redhet-demo/routable-net": ipam type eni-prefix is resolved on each node from its ENI\'s delegated /28 prefixes, so it has no cluster-wide CNI config; render the per-node config with perNodeCniWire() from lib/node, or check hasPerNodeConfig(network) first');
  });

  test('the seed-faithful example\'s seed networks are ipvlan l2 on the stable ENI name, with the seed\'s ranges', () => {
    const configs = faithful.filter((o) => o.kind === 'NetworkAttachmentDefinition' && o.spec !== undefined).map((o) => JSON.parse(o.spec.config));
    expect(configs).toHaveLength(3);
    expect(configs[0]).toEqual({
      cniVersion: '1.0.0', name: 'ipvlan-conf', type: 'ipvlan', master: 'multus0', mode: 'l2',
      ipam: { type: 'host-local', ranges: [[{ subnet: '192.168.1.0/24', rangeStart: '192.168.1.200', rangeEnd: '192.168.1.216', gateway: '192.168.1.1' }]] },
    });
    expect(configs[1]).toEqual({
      cniVersion: '1.0.0', name: 'whereabouts-eth1-conf', type: 'ipvlan', master: 'multus0', mode: 'l2',
      ipam: { type: 'whereabouts', range: '10.4.128.0/24', exclude: ['10.4.128.0/30'] },
    });
    expect(configs[2].ipam).toEqual({ type: 'whereabouts', range: '10.2.130.0/24' });
    for (const c of configs) {
      expect(c.cniVersion).toBeTruthy();
      expect(c.ipam).toBeTruthy();
    }
  });

  test('exposes the L1 objects', () => {
    const nad = chart.attachments.get('dcjeon/whereabouts-eth1-conf');
    expect(nad?.apiObject.kind).toBe('NetworkAttachmentDefinition');
    expect(nad?.key).toBe('dcjeon/whereabouts-eth1-conf');
  });

  test('every object passes Kubernetes and CRD schema validation', () => {
    expect(validateManifests(objects)).toEqual([]);
    expect(validateManifests(faithful)).toEqual([]);
  });

  test('every spec.config present passes our CNI schema (the seed-faithful example)', () => {
    const validate = new Ajv({ strict: true, allErrors: true }).compile(CNI_CONFIG_SCHEMA);
    const configs = faithful.filter((o) => o.kind === 'NetworkAttachmentDefinition' && o.spec?.config).map((o) => JSON.parse(o.spec.config));
    expect(configs.length).toBeGreaterThan(0);
    for (const c of configs) expect([c.name, validate(c) ? 'valid' : JSON.stringify(validate.errors)]).toEqual([c.name, 'valid']);
    // ...and the schema is not vacuous: a config without ipam fails it.
    expect(validate({ ...configs[0], ipam: undefined })).toBe(false);
  });
});
