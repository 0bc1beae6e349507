import * as cni from '../../lib/cni';

describe('lib/cni index', () => {
  test('re-exports the builders, the serializer, the intent mapping and the schema', () => {
    // GIVEN / WHEN
    const functions = Object.entries(cni).filter(([, v]) => typeof v === 'function').map(([k]) => k).sort();
    // THEN
    expect(functions).toEqual([
      'bridge', 'checkCniName', 'checkCniVersion', 'cniConfigForNetwork', 'cniDocument', 'cniWireObject', 'dhcp', 'hasPerNodeConfig', 'hostDevice',
      'hostLocal', 'hostLocalGateway', 'ipvlan', 'isConfList', 'macvlan', 'nadConfigJson', 'sbr', 'serializeCni', 'staticGateway',
      'staticIpam', 'tuning', 'whereabouts', 'whereaboutsGateway',
    ]);
    expect(typeof cni.CNI_CONFIG_SCHEMA).toBe('object');
  });
});
