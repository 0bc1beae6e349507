import { attachedWorkloads, peerWorkloads, protectedNamespaces, selects, targetWorkloads } from '../../lib/policy/peers';
import { defaultModel } from '../util/default-model';

describe('peers', () => {
  const model = defaultModel();
  const web = model.networkByKey.get('redhet-demo/ipvlan-whereabouts-net-attach-def')!;
  const names = (ws: ReturnType<typeof attachedWorkloads>) => ws.map((w) => w.workload.name);

  test('selects: every label of the selector, an empty selector matches all', () => {
    expect(selects({ app: 'a' }, { app: 'a', tier: 'b' })).toBe(true);
    expect(selects({ app: 'a', tier: 'c' }, { app: 'a', tier: 'b' })).toBe(false);
    expect(selects({}, {})).toBe(true);
  });

  test('the web network: its workloads, the rule targets and the client peer', () => {
    const rule = web.network.ingress[0];
    expect(names(attachedWorkloads(model, web))).toEqual(['ipvlan-whereabouts-deploy', 'ipvlan-whereabouts-client']);
    expect(names(targetWorkloads(model, web, rule))).toEqual(['ipvlan-whereabouts-deploy']);
    expect(names(peerWorkloads(model, web, rule.from[0]))).toEqual(['ipvlan-whereabouts-client']);
    expect(protectedNamespaces(model, web)).toEqual(['redhet-demo']);
  });

  test('a network without workloads protects no namespace', () => {
    expect(protectedNamespaces(model, model.networkByKey.get('redhet-demo/routable-net')!)).toEqual([]);
  });
});
