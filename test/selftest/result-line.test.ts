import { formatResultLine, parseSelftestLog, type SelftestResult } from '../../lib/selftest/result-line';

const r: SelftestResult = {
  network: 'redhet-demo/routable-net', client: 'attached', fromPod: 'c-x', fromNode: 'w1', toPod: 's-b', toNode: 'w2',
  via: 'net1', sameNode: false, expect: 'pass', result: 'fail',
};

describe('result lines', () => {
  test('format: the documented words in order', () => {
    expect(formatResultLine(r)).toBe('MULTINIC-SELFTEST network=redhet-demo/routable-net client=attached from=c-x@w1 to=s-b@w2 via=net1 same-node=no expect=pass result=fail');
  });

  test('parse reads back what format wrote, DONE and ERROR lines, and ignores other lines', () => {
    // GIVEN a log with noise
    const log = ['curl: (7) Failed to connect', formatResultLine(r), 'MULTINIC-SELFTEST-DONE network=redhet-demo/routable-net client=attached cases=1',
      'MULTINIC-SELFTEST-ERROR network=a/b client=unattached reason=servers-not-ready servers=x,y waited=300s', ''].join('\r\n');
    // WHEN parsed  THEN
    expect(parseSelftestLog(log)).toEqual({
      results: [r], done: [{ network: 'redhet-demo/routable-net', client: 'attached', cases: 1 }],
      errors: ['a/b unattached: reason=servers-not-ready servers=x,y waited=300s'], malformed: [],
    });
  });

  test('a net1 ping answered by someone else: the answered word is written last and read back', () => {
    const wrong: SelftestResult = { ...r, expect: 'fail', answered: '0a:00:00:00:00:02' };
    expect(formatResultLine(wrong)).toBe('MULTINIC-SELFTEST network=redhet-demo/routable-net client=attached from=c-x@w1 to=s-b@w2 via=net1 same-node=no expect=fail result=fail answered=0a:00:00:00:00:02');
    expect(parseSelftestLog(formatResultLine(wrong)).results).toEqual([wrong]);
  });

  test.each([
    ['MULTINIC-SELFTEST network=a/b client=attached from=c@w to=s@w via=net2 same-node=yes expect=pass result=pass', 'missing or invalid via'],
    ['MULTINIC-SELFTEST network=a/b client=x from=c to=s@w via=eth0 same-node=yes expect=pass result=maybe', 'missing or invalid client, from, result'],
    ['MULTINIC-SELFTEST-DONE network=a/b client=attached cases=many', 'missing or invalid network, client or cases'],
  ])('malformed %s', (line, why) => {
    expect(parseSelftestLog(line)).toEqual({ results: [], done: [], errors: [], malformed: [`${line}: ${why}`] });
  });
});
