import { formatResultLine } from '../../lib/selftest/result-line';
import { renderSelftestTable, selftestReport, type ClientRun } from '../../lib/selftest/report';
import { selftestNetworks } from '../../lib/selftest/matrix';
import { defaultModel } from '../util/default-model';

// GIVEN the routable network of the default intent only
const net = selftestNetworks(defaultModel()).find((n) => n.network.key === 'redhet-demo/routable-net')!;
const logOf = (client: 'attached' | 'unattached', pod: string, flip = -1) => net.cases.filter((c) => c.client === client).map((c, i) => formatResultLine({
  network: net.network.key, client, fromPod: pod, fromNode: 'w1', toPod: c.server, toNode: c.sameNode ? 'w1' : 'w2', via: c.via, sameNode: c.sameNode,
  expect: c.expect, result: i === flip ? (c.expect === 'pass' ? 'fail' : 'pass') : c.expect,
})).join('\n');
const run = (client: 'attached' | 'unattached', pod: string, phase: string, log?: string): ClientRun => ({ pod, networkId: net.id, client, phase, log });

describe('selftestReport', () => {
  test('all as expected: 8 ok rows', () => {
    const rep = selftestReport([net], [run('attached', 'a1', 'Succeeded', logOf('attached', 'a1')), run('unattached', 'u1', 'Succeeded', logOf('unattached', 'u1'))]);
    expect([rep.ok, rep.problems]).toEqual([8, 0]);
    expect(renderSelftestTable(rep).split('\n').at(-1)).toBe('8 cases, all as expected.');
  });

  test('the newest run of a client wins: an older failing pod does not count', () => {
    const rep = selftestReport([net], [
      run('attached', 'old', 'Failed', logOf('attached', 'old', 3)), run('attached', 'new', 'Succeeded', logOf('attached', 'new')),
      run('unattached', 'u1', 'Succeeded', logOf('unattached', 'u1')),
    ]);
    expect(rep.problems).toBe(0);
    expect(rep.rows[3].from).toBe('new@w1');
  });

  test('statuses: fail, error with its line, running, missing', () => {
    // GIVEN attached: case 4 flipped; unattached: gave up
    const rep = selftestReport([net], [
      run('attached', 'a1', 'Succeeded', logOf('attached', 'a1', 3)),
      run('unattached', 'u1', 'Failed', 'MULTINIC-SELFTEST-ERROR network=redhet-demo/routable-net client=unattached reason=servers-not-ready servers=s waited=300s'),
    ]);
    // THEN
    expect(rep.rows.map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'fail', 'error', 'error', 'error', 'error']);
    expect(rep.rows[3].detail).toBe('expected pass (eni-prefix addresses are assigned to the ENI), got fail');
    expect(rep.messages).toEqual(['u1: redhet-demo/routable-net unattached: reason=servers-not-ready servers=s waited=300s']);
    // AND a ping answered by the client itself says so (host-local: the server's address is also the client's)
    const self = logOf('attached', 'a1', 3).replace(/result=fail$/, 'result=fail answered=self');
    const row = selftestReport([net], [run('attached', 'a1', 'Succeeded', self)]).rows[3];
    expect([row.status, row.answered, row.detail]).toEqual(['fail', 'self', 'expected pass (eni-prefix addresses are assigned to the ENI), got fail (the ping was answered by the client itself: the server\'s address is also its own)']);
    expect(selftestReport([net], [run('attached', 'a1', 'Running', '')]).rows.map((r) => r.status)).toEqual([...Array(4).fill('running'), ...Array(4).fill('missing')]);
    expect(selftestReport([net], [run('attached', 'a1', 'Succeeded', '')]).rows[0].detail).toBe('client pod Succeeded without a line for this case');
  });
});
