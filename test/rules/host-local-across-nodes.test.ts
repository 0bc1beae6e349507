import type { NetworkIntentInput } from '../../lib/intent/types';
import { hostLocalAcrossNodesRule as rule } from '../../lib/rules/host-local-across-nodes';
import { findingsFor, type Mutate, pathsAndMessages, specOf } from '../util/intent';

/** Turns the base intent's host-local Pod into a Deployment of `replicas`. */
const deployment = (i: NetworkIntentInput, replicas: number) => {
  const w = specOf(i).workloads[0];
  specOf(i).workloads[0] = { ...w, kind: 'Deployment', replicas };
};

describe('multinic:HostLocalAcrossNodes', () => {
  test.each<[string, Mutate, string]>([
    // The seed's test 1: host-local under a Deployment, every node handing out 192.168.1.200 first
    ['a Deployment of 2 uses it on 2 workers', (i) => deployment(i, 2),
      'host-local network "default/ipvlan-conf" serves 2 pods (multus-sample-pod) that can land on 2 nodes, and every node hands out the same addresses'],
    ['two Pods use it on 2 workers', (i) => { specOf(i).workloads[1].networks = ['default/ipvlan-conf']; specOf(i).workloads[1].kind = 'Deployment'; },
      'host-local network "default/ipvlan-conf" serves 3 pods (multus-sample-pod, ubuntu-whereabouts-deploy) that can land on 2 nodes, and every node hands out the same addresses'],
    ['a Deployment of 3 uses it on a group of 5', (i) => { deployment(i, 3); i.spec.nodeGroups[1].count = 5; },
      'host-local network "default/ipvlan-conf" serves 3 pods (multus-sample-pod) that can land on 5 nodes, and every node hands out the same addresses'],
  ])('fires when %s', (_what, mutate, message) => {
    // WHEN the intent is validated
    const found = findingsFor(mutate, rule.id);
    // THEN the network's IPAM type is reported, with how many pods on how many nodes
    expect(pathsAndMessages(found)).toEqual([{ path: 'spec.networks[0].ipam.type', message: `spec.networks[0].ipam.type: ${message}` }]);
    expect(found[0].fix).toBe('Change ipam.type to whereabouts with the same range, or pin the pods to one node.');
  });

  test.each<[string, Mutate]>([
    ['one Pod uses it', () => undefined],
    ['a Deployment of 1 uses it', (i) => deployment(i, 1)],
    ['a Deployment of 2 uses it, but one worker carries the master', (i) => { deployment(i, 2); i.spec.nodeGroups[1].count = 1; }],
    ['a Deployment of 2 uses a whereabouts network on 2 workers', () => undefined],
    ['no workload uses it', (i) => { specOf(i).workloads[0].networks = []; }],
  ])('does not fire when %s', (_what, mutate) => {
    // THEN nothing is reported
    expect(findingsFor(mutate, rule.id)).toEqual([]);
  });

  // kubeadm taints the control plane NoSchedule and workloads carry no toleration: only worker nodes count.
  test('does not count the control plane, where no workload pod runs', () => {
    // GIVEN a Deployment of 2 on a host-local bridge network, one worker node and the control plane
    const found = findingsFor((i) => {
      deployment(i, 2);
      i.spec.nodeGroups[1].count = 1;
      const { name, namespace, ipam } = specOf(i).networks[0];
      specOf(i).networks[0] = { name, namespace, type: 'bridge', bridge: 'br-multus', ipam };
    }, rule.id);
    // THEN both pods share the one worker: nothing is reported
    expect(found).toEqual([]);
  });
});
