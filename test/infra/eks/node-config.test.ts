import { parse } from 'yaml';
import { eksNodeConfig, renderEksNodeConfig } from '../../../infra/eks/node-config';

describe('eksNodeConfig', () => {
  const props = { clusterName: 'c', apiServerEndpoint: 'https://x', certificateAuthority: 'Q0E=', serviceCidr: '10.96.0.0/12', maxPods: 20, labels: ['a=b', 'c=d'] };

  test('renders YAML that parses back to the same NodeConfig', () => {
    expect(parse(renderEksNodeConfig(props))).toEqual(eksNodeConfig(props));
  });

  test('labels go in one --node-labels flag; maxPods and the startup taint in the kubelet config', () => {
    const nc = eksNodeConfig(props) as { spec: { kubelet: { config: { maxPods: number; registerWithTaints: unknown[] }; flags: string[] } } };
    expect(nc.spec.kubelet.flags).toEqual(['--node-labels=a=b,c=d']);
    expect(nc.spec.kubelet.config.maxPods).toBe(20);
    expect(nc.spec.kubelet.config.registerWithTaints).toEqual([{ key: 'multinic.dev/networks-not-ready', value: 'true', effect: 'NoSchedule' }]);
  });
});
