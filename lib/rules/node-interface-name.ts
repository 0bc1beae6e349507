import { finding, type Finding, type Rule } from './types';

/** Linux interface names: at most 15 bytes, no '/', ':' or whitespace. */
export const IFNAME = /^[A-Za-z0-9_.-]{1,15}$/;
/** Names the kernel or udev hand out on their own; a .link rename to them races with the kernel. */
export const KERNEL_STYLE_IFNAME = /^(eth\d+|eno\d+|ens\d+(f\d+)?|enp\d+s\d+(f\d+)?|enx[0-9a-f]{12}|enX\d+|wlan\d+|lo)$/;

export const nodeInterfaceNameRule: Rule = {
  id: 'multinic:InterfaceName',
  level: 'error',
  summary: 'A node interface name is not a valid Linux interface name (at most 15 characters of letters, digits, ".", "-", "_").',
  why: 'The kernel refuses the rename, so the ENI keeps a kernel name and every net-attach-def that uses it as master fails with "Link not found".',
  fix: 'Use a short stable name such as multus0.',
  check(intent) {
    const findings: Finding[] = [];
    intent.spec.nodeGroups.forEach((g, gi) => g.interfaces.forEach((itf, ii) => {
      if (!IFNAME.test(itf.name) || itf.name === '.' || itf.name === '..') {
        findings.push(finding(this, ['spec', 'nodeGroups', gi, 'interfaces', ii, 'name'], `"${itf.name}" is not a valid interface name (${itf.name.length > 15 ? `${itf.name.length} characters, at most 15` : IFNAME.test(itf.name) ? '"." and ".." are not names' : 'only letters, digits, ".", "-", "_"'})`));
      }
    }));
    return findings;
  },
};

export const kernelStyleInterfaceNameRule: Rule = {
  id: 'multinic:KernelStyleInterfaceName',
  level: 'warning',
  summary: 'A node interface uses a kernel-style name (ethN, ensN, ...).',
  why: 'Renaming an ENI to a name the kernel also hands out races with the kernel at boot and on hot-attach: the seed\'s eth1 was a different NIC on different instance types.',
  fix: 'Use a name the kernel never assigns, e.g. multus0.',
  check(intent) {
    const findings: Finding[] = [];
    intent.spec.nodeGroups.forEach((g, gi) => g.interfaces.forEach((itf, ii) => {
      if (KERNEL_STYLE_IFNAME.test(itf.name)) {
        findings.push(finding(this, ['spec', 'nodeGroups', gi, 'interfaces', ii, 'name'], `"${itf.name}" is a kernel-style name that can race with the kernel's own naming`, `Rename it, e.g. "multus${ii}", and update the networks that use it as master.`));
      }
    }));
    return findings;
  },
};
