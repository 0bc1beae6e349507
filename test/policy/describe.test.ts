import { portText, ruleText, selectorText } from '../../lib/policy/describe';
import { defaultModel } from '../util/default-model';

describe('rule texts', () => {
  test('selectors and ports', () => {
    expect(selectorText({})).toBe('*');
    expect(selectorText({ app: 'a', tier: 'b' })).toBe('app=a,tier=b');
    expect(portText({ protocol: 'TCP', port: 80 })).toBe('TCP 80');
    expect(portText({ protocol: 'UDP', port: 9000, endPort: 9010 })).toBe('UDP 9000-9010');
    expect(portText({ protocol: 'TCP' })).toBe('TCP (every port)');
  });

  test('the default intent\'s rules', () => {
    const model = defaultModel();
    const text = (key: string) => { const n = model.networkByKey.get(key)!; return n.network.ingress.map((r) => ruleText(r, n)); };
    expect(text('redhet-demo/ipvlan-whereabouts-net-attach-def')).toEqual(['to pods app=ipvlan-whereabouts from pods app=ipvlan-whereabouts-client in redhet-demo on TCP 80, ICMP']);
    expect(text('redhet-demo/routable-net')).toEqual(['to every pod from 10.0.128.0/24 on ICMP']);
  });
});
