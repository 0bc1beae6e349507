import { tuning } from '../../lib/cni';

describe('tuning', () => {
  test('copies the sysctls (later changes to the input do not leak in)', () => {
    // GIVEN
    const sysctl: Record<string, string> = { 'net.ipv4.conf.net1.arp_notify': '1' };
    // WHEN
    const t = tuning({ sysctl });
    sysctl['net.ipv4.ip_forward'] = '1';
    // THEN
    expect(t).toStrictEqual({ type: 'tuning', sysctl: { 'net.ipv4.conf.net1.arp_notify': '1' } });
  });

  test.each<[string, Record<string, string>, string]>([
    ['no sysctl', {}, 'tuning.sysctl: no sysctl given; set at least one, or leave tuning out'],
    ['a kernel sysctl', { 'kernel.panic': '1' }, 'tuning.sysctl: "kernel.panic" is not a network sysctl; the tuning plugin only sets keys under net., e.g. net.ipv4.conf.net1.arp_notify'],
    ['a path escape', { 'net..x': '1' }, 'tuning.sysctl: "net..x" is not a network sysctl; the tuning plugin only sets keys under net., e.g. net.ipv4.conf.net1.arp_notify'],
    ['a slash', { 'net/ipv4/ip_forward': '1' }, 'tuning.sysctl: "net/ipv4/ip_forward" is not a network sysctl; the tuning plugin only sets keys under net., e.g. net.ipv4.conf.net1.arp_notify'],
  ])('refuses %s', (_name, sysctl, message) => {
    // GIVEN / WHEN / THEN
    expect(() => tuning({ sysctl })).toThrow(expect.objectContaining({ name: 'MultinicError', code: 'CNI_INVALID_CONFIG', message }));
  });
});
