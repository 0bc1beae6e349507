import { instanceLabel, verifyFleet, type ObservedEni, type ObservedInstance } from '../../lib/verify/aws';
import type { VerifyRow } from '../../lib/verify/types';
import { verifyIntent } from './fixtures';

const intent = verifyIntent();
const NO_MANAGE = { 'node.k8s.amazonaws.com/no_manage': 'true' };

function eni(deviceIndex: number, extra: Partial<ObservedEni> = {}): ObservedEni {
  return {
    id: `eni-${deviceIndex}`, deviceIndex, networkCardIndex: 0,
    subnetId: deviceIndex === 0 ? 'subnet-nodes' : 'subnet-multus', subnetCidr: deviceIndex === 0 ? '10.0.0.0/20' : '10.0.128.0/24',
    ipv4Prefixes: deviceIndex === 0 ? [] : ['10.0.128.16/28', '10.0.128.32/28'], tags: NO_MANAGE, sourceDestCheck: deviceIndex === 0, ...extra,
  };
}
const worker = (id: string, secondary: Partial<ObservedEni> | null = {}, more: ObservedEni[] = []): ObservedInstance =>
  ({ id, privateIp: '10.0.0.5', group: 'workers', enis: [eni(0), ...(secondary ? [eni(1, secondary)] : []), ...more] });
const cp: ObservedInstance = { id: 'i-cp', group: 'control-plane', enis: [eni(0)] };

const problems = (rows: VerifyRow[]) => rows.filter((r) => r.status !== 'ok');
const pick = (rows: VerifyRow[], check: string) => rows.filter((r) => r.check === check);

describe('verifyFleet', () => {
  test('a fleet as intended gives only ok rows, one per group count and per interface check', () => {
    // GIVEN one control plane and two workers whose multus0 matches
    const rows = verifyFleet(intent, [cp, worker('i-w1'), worker('i-w2')]);
    // THEN nothing differs, and every worker got the four interface checks at device 1
    expect(problems(rows)).toEqual([]);
    expect(pick(rows, 'running nodes').map((r) => [r.group, r.expected, r.observed])).toEqual([['control-plane', '1', '1'], ['workers', '2', '2']]);
    const w1 = rows.filter((r) => r.subject === 'i-w1 (10.0.0.5)');
    expect(w1.map((r) => [r.device, r.check, r.expected, r.observed])).toEqual([
      ['1 multus0', 'subnet', 'multus-a 10.0.128.0/24', 'subnet-multus 10.0.128.0/24'],
      ['1 multus0', 'ipv4 prefixes', '2', '2 (10.0.128.16/28, 10.0.128.32/28)'],
      ['1 multus0', 'tag node.k8s.amazonaws.com/no_manage', 'true', 'true'],
      ['1 multus0', 'source/dest check', 'off', 'off'],
    ]);
  });

  test.each<[string, ObservedInstance, Array<Partial<VerifyRow>>]>([
    ['the ENI in another subnet', worker('i-w2', { subnetId: 'subnet-other', subnetCidr: '10.0.129.0/24' }),
      [{ check: 'subnet', expected: 'multus-a 10.0.128.0/24', observed: 'subnet-other 10.0.129.0/24', status: 'drift' }]],
    ['a subnet whose CIDR is unknown', worker('i-w2', { subnetCidr: undefined }),
      [{ check: 'subnet', observed: 'subnet-multus (CIDR unknown)', status: 'drift' }]],
    ['one prefix missing', worker('i-w2', { ipv4Prefixes: ['10.0.128.16/28'] }),
      [{ check: 'ipv4 prefixes', expected: '2', observed: '1 (10.0.128.16/28)', status: 'missing' }]],
    ['no prefix at all', worker('i-w2', { ipv4Prefixes: [] }), [{ check: 'ipv4 prefixes', observed: '0', status: 'missing' }]],
    ['a prefix too many', worker('i-w2', { ipv4Prefixes: ['a/28', 'b/28', 'c/28'] }), [{ check: 'ipv4 prefixes', status: 'drift' }]],
    ['the no_manage tag absent', worker('i-w2', { tags: {} }),
      [{ check: 'tag node.k8s.amazonaws.com/no_manage', expected: 'true', observed: '(absent)', status: 'missing' }]],
    ['the no_manage tag false', worker('i-w2', { tags: { 'node.k8s.amazonaws.com/no_manage': 'false' } }),
      [{ check: 'tag node.k8s.amazonaws.com/no_manage', observed: 'false', status: 'drift' }]],
    ['the source/dest check left on', worker('i-w2', { sourceDestCheck: true }),
      [{ check: 'source/dest check', expected: 'off', observed: 'on', status: 'drift' }]],
    ['the ENI at device index 2 instead of 1', worker('i-w2', null, [eni(2)]), [
      { device: '1 multus0', check: 'ENI', observed: '(no ENI at this device index)', status: 'missing' },
      { device: '2', check: 'ENI', expected: '(none)', observed: 'eni-2 in subnet-multus 10.0.128.0/24', status: 'unexpected' },
    ]],
    ['the ENI on network card 1', worker('i-w2', null, [eni(1, { networkCardIndex: 1 })]), [
      { device: '1 multus0', check: 'ENI', status: 'missing' },
      { device: '1 card 1', check: 'ENI', status: 'unexpected' },
    ]],
  ])('%s is reported on that node only', (_what, broken, expected) => {
    // GIVEN a fleet where the second worker has the fault
    const rows = verifyFleet(intent, [cp, worker('i-w1'), broken]);
    // THEN exactly the expected rows are problems, all of them on i-w2 in group workers
    const got = problems(rows);
    expect(got).toEqual(expected.map((e) => expect.objectContaining({ subject: 'i-w2 (10.0.0.5)', group: 'workers', device: '1 multus0', ...e })));
  });

  test.each([
    [[cp, worker('i-w1')], 'missing', '1'],
    [[cp, worker('i-w1'), worker('i-w2'), worker('i-w3')], 'drift', '3'],
  ])('a node count off the intent is reported per group (%#)', (fleet, status, observed) => {
    const rows = problems(verifyFleet(intent, fleet));
    expect(rows).toEqual([{ subject: 'group workers', group: 'workers', device: '-', check: 'running nodes', expected: '2', observed, status }]);
  });

  test('instances of a group the intent does not have, or with no group tag, are unexpected', () => {
    const rows = problems(verifyFleet(intent, [cp, worker('i-w1'), worker('i-w2'), { id: 'i-old', group: 'gpu', enis: [] }, { id: 'i-bare', enis: [] }]));
    expect(rows.map((r) => [r.subject, r.group, r.observed, r.status])).toEqual([
      ['i-old', 'gpu', 'tag multinic.dev/node-group=gpu', 'unexpected'],
      ['i-bare', '(untagged)', 'no multinic.dev/node-group tag', 'unexpected'],
    ]);
    expect(rows[0].expected).toBe('one of control-plane, workers');
  });

  test('no instances at all: every group is missing its nodes', () => {
    const rows = verifyFleet(intent, []);
    expect(rows.map((r) => [r.group, r.status])).toEqual([['control-plane', 'missing'], ['workers', 'missing']]);
  });

  test('instanceLabel shows the private IP when known', () => {
    expect(instanceLabel(cp)).toBe('i-cp');
    expect(instanceLabel(worker('i-w1'))).toBe('i-w1 (10.0.0.5)');
  });
});
