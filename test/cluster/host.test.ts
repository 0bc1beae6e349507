/** cluster/provider/host.ts: the one mountinfo reader behind the cgroup lists and the /run/netns check. */
import * as fs from 'node:fs';
import { cgroupHierarchies, cgroupMounts, mounts, parseMountinfo } from '../../cluster/provider/host';

// Shaped like this machine's /proc/self/mountinfo (cgroup v1 hybrid, no systemd), with optional fields before ' - '.
const SAMPLE = [
  '23 27 0:22 / /sys rw,relatime - sysfs sysfs rw',
  '31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
  '32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu',
  '33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct',
  '34 31 0:31 / /sys/fs/cgroup/memory rw,relatime shared:7 - cgroup cgroup rw,memory',
  '35 31 0:32 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd',
  '36 31 0:33 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate',
  '37 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu',
  '45 27 254:0 /run/netns /run/netns rw,relatime shared:1 - ext4 /dev/vda rw,discard',
  '',
].join('\n');

describe('parseMountinfo', () => {
  test('mount point, file system and super options of every line; optional fields skipped', () => {
    const m = parseMountinfo(SAMPLE);
    expect(m).toHaveLength(9);
    expect(m[4]).toEqual({ mountPoint: '/sys/fs/cgroup/memory', fstype: 'cgroup', superOptions: ['rw', 'memory'] });
    expect(m[8]).toEqual({ mountPoint: '/run/netns', fstype: 'ext4', superOptions: ['rw', 'discard'] });
  });
});

describe('cgroup lists from one reading', () => {
  const m = parseMountinfo(SAMPLE);
  test('cgroupMounts: every cgroup and cgroup2 mount, once each, sorted (the kubelet needs its cgroupRoot in all)', () => {
    expect(cgroupMounts(m)).toEqual(['/sys/fs/cgroup/cpu', '/sys/fs/cgroup/cpuacct', '/sys/fs/cgroup/memory', '/sys/fs/cgroup/systemd', '/sys/fs/cgroup/unified']);
  });
  test('cgroupHierarchies: only v1 hierarchies with controllers (not name=systemd, not cgroup2)', () => {
    expect(cgroupHierarchies(m)).toEqual(['/sys/fs/cgroup/cpu', '/sys/fs/cgroup/cpuacct', '/sys/fs/cgroup/memory']);
  });
  test('on this machine: the hierarchies are among the mounts, and each is a directory', () => {
    const live = mounts();
    expect(live.length).toBeGreaterThan(0);
    for (const h of cgroupHierarchies(live)) {
      expect(cgroupMounts(live)).toContain(h);
      expect(fs.statSync(h).isDirectory()).toBe(true);
    }
  });
});
