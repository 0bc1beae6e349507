import * as cni from '../../lib/cni';

describe('lib/cni index', () => {
  test('re-exports the builders, the serializer and the schema (the intent mapping is lib/model/network-cni)', () => {
    // GIVEN / WHEN
    const functions = Object.entries(cni).filter(([, v]) => typeof v === 'function').map(([k]) => k).sort();
    // THEN
    expect(functions).toEqual([
      'bridge', 'checkCniName', 'checkCniVersion', 'cniDocument', 'cniWireObject', 'dhcp', 'hostDevice',
      'hostLocal', 'hostLocalGateway', 'ipvlan', 'isConfList', 'macvlan', 'sbr', 'serializeCni', 'staticGateway',
      'staticIpam', 'tuning', 'whereabouts', 'whereaboutsGateway',
    ]);
    expect(typeof cni.CNI_CONFIG_SCHEMA).toBe('object');
  });
});
