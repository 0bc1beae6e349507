import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addressesOf, hostLocalReservations, must, NetnsLab, realCniSupport, run, runCni } from './netns';

describe('run / must', () => {
  test('run bounds a command by its timeout and says so', () => {
    // GIVEN / WHEN
    const started = Date.now();
    const r = run('sleep', ['5'], undefined, 200);
    // THEN
    expect(r.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  test('run passes stdin and returns stdout', () => {
    // GIVEN / WHEN / THEN
    expect(run('cat', [], 'hello')).toEqual({ status: 0, stdout: 'hello', stderr: '', timedOut: false });
  });

  test('must throws with the command and its stderr', () => {
    // GIVEN / WHEN / THEN
    expect(() => must('sh', ['-c', 'echo boom >&2; exit 3'])).toThrow('sh -c echo boom >&2; exit 3 failed (status 3): boom');
  });
});

describe('hostLocalReservations', () => {
  test('lists only the files named after an address', () => {
    // GIVEN a host-local state dir with reservations, a lock and the last-reserved marker
    const lab = new NetnsLab();
    const dir = lab.tempDir('hlr');
    mkdirSync(join(dir, 'net-a'));
    for (const f of ['10.0.0.5', 'fd00::5', 'lock', 'last_reserved_ip.0']) writeFileSync(join(dir, 'net-a', f), 'x');
    // WHEN / THEN
    expect(hostLocalReservations(dir, 'net-a').sort()).toEqual(['10.0.0.5', 'fd00::5']);
    expect(hostLocalReservations(dir, 'no-such-net')).toEqual([]);
    lab.cleanup();
    expect(existsSync(dir)).toBe(false);
  });
});

const support = realCniSupport();
support.describe('NetnsLab', () => {
  test('creates pid-unique namespaces with lo up and veths up on both ends, and cleanup removes them all', () => {
    // GIVEN
    const lab = new NetnsLab();
    const a = lab.netns('a');
    const b = lab.netns('b');
    // WHEN
    lab.veth(a, 'x0', b, 'y0');
    // THEN
    expect(a).toMatch(new RegExp(`^mn${process.pid}-\\d+-a$`));
    expect(must('ip', ['-n', a, 'link', 'show', 'lo'])).toContain('UP');
    expect(addressesOf(a, 'lo')).toEqual(['127.0.0.1/8']);
    expect(addressesOf(a, 'x0')).toEqual([]);
    expect(addressesOf(a, 'nope0')).toBeUndefined();
    expect(must('ip', ['-n', b, 'link', 'show', 'y0'])).toMatch(/state (UP|LOWERLAYERDOWN)|,UP/);
    // WHEN cleaned up
    expect(lab.cleanup()).toEqual([]);
    // THEN
    expect(must('ip', ['netns', 'list'])).not.toContain(a);
  });

  test('kernelSupports tells a kernel link kind from one it lacks, leaving no probe netns', () => {
    // GIVEN
    const lab = new NetnsLab();
    // WHEN / THEN
    expect(lab.kernelSupports('macvlan')).toBe(true);
    expect(lab.kernelSupports('nosuchkind')).toBe(false);
    expect(must('ip', ['netns', 'list'])).not.toContain(`mn${process.pid}-`);
    lab.cleanup();
  });

  test('runCni runs a conflist in order, handing each plugin the previous result', () => {
    // GIVEN a node with a master and a macvlan + tuning conflist (tuning answers "Required prevResult missing" without one)
    const lab = new NetnsLab();
    try {
      const node = lab.netns('node');
      lab.veth(node, 'm0', lab.netns('peer'), 'p0');
      const dataDir = lab.tempDir('hl');
      const config = JSON.stringify({
        cniVersion: '1.0.0', name: 'h',
        plugins: [
          { type: 'macvlan', master: 'm0', ipam: { type: 'host-local', ranges: [[{ subnet: '10.77.0.0/24' }]], dataDir } },
          { type: 'tuning', sysctl: { 'net.ipv4.conf.net1.arp_notify': '1' } },
        ],
      });
      const at = { nodeNs: node, podNs: lab.netns('pod'), ifname: 'net1', containerId: 'h' };
      // WHEN
      const added = runCni('ADD', config, at);
      // THEN the final result is the chain's, with the IPAM address
      expect(added.error).toBeUndefined();
      expect(added.result?.ips?.[0]?.address).toBe('10.77.0.2/24');
      expect(runCni('DEL', config, at, added.result).ok).toBe(true);
    } finally {
      lab.cleanup();
    }
  });
});
