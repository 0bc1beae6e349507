import { LOCAL_DAEMON_IMAGE } from '../../lib/policy/daemon-image';
import { policyDaemonImageRule as rule } from '../../lib/rules/policy-daemon-image';
import { findingsFor, type Mutate, pathsAndMessages, specOf } from '../util/intent';

const local: Mutate = (i) => { delete i.spec.policy; };

describe('multinic:PolicyDaemonImage', () => {
  test('GIVEN an AWS intent with networks and no spec.policy.daemonImage THEN a warning naming the local reference', () => {
    const found = findingsFor(local, rule.id);
    expect(pathsAndMessages(found)).toEqual([{
      path: 'spec.networks',
      message: `spec.networks: 2 network(s) are closed by MultiNetworkPolicy, but its daemon image ${LOCAL_DAEMON_IMAGE} exists only in the local cluster: EC2 nodes cannot pull it, so the in-cluster rules would not be enforced`,
    }]);
    expect(found[0].level).toBe('warning');
    expect(found[0].fix).toContain('spec.policy.daemonImage');
  });

  test.each<[string, Mutate]>([
    ['a published image', () => undefined],
    ['spec.platform generic (the local cluster serves the reference)', (i) => { local(i); i.spec.platform = 'generic'; }],
    ['no network (no daemon is emitted)', (i) => { local(i); const s = specOf(i); s.networks = []; s.workloads = []; s.services = []; s.configMaps = []; }],
  ])('does not warn with %s', (_what, mutate) => {
    expect(findingsFor(mutate, rule.id)).toEqual([]);
  });
});

describe('spec.policy.daemonImage (schema)', () => {
  test.each([
    ['a tag alone', 'public.ecr.aws/multinic/multi-networkpolicy-iptables:cbf2b11'],
    ['no registry host', 'multi-networkpolicy-iptables@sha256:51416af773758eaae263a2f12846572302aa2b3355b3bdc570b485ca829c1b82'],
    ['a short digest', 'public.ecr.aws/multinic/multi-networkpolicy-iptables@sha256:51416af7'],
  ])('GIVEN %s THEN multinic:Schema at the field, saying how to pin it', (_what, image) => {
    const found = findingsFor((i) => { i.spec.policy = { daemonImage: image }; }, 'multinic:Schema');
    expect(found.map((f) => f.path)).toEqual(['spec.policy.daemonImage']);
    expect(found[0].message).toContain('@sha256:<64 hex digits>');
  });
});
