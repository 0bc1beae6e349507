import { IFNAME } from './node-interface-name';
import { finding, type Finding, type Rule } from './types';

export const podInterfaceNameRule: Rule = {
  id: 'multinic:PodInterfaceName',
  level: 'error',
  summary: 'A pod interface name (@ifname) is invalid, reserved or used twice in one pod.',
  why: 'The second ADD fails with "file exists" or the kernel rejects the name, and the pod never starts.',
  fix: 'Give every attachment of a pod its own name of at most 15 characters, other than eth0 and lo.',
  check(_intent, model) {
    const findings: Finding[] = [];
    for (const w of model.workloads) {
      const used = new Map<string, number>([['eth0', -1], ['lo', -1]]);
      for (const a of w.attachments) {
        if (typeof a.attachment === 'string') continue;
        const path = ['spec', 'workloads', w.index, 'networks', a.position];
        if (!IFNAME.test(a.ifname)) {
          findings.push(finding(this, path, `interface name "${a.ifname}" is not valid (at most 15 letters, digits, ".", "-", "_")`));
          continue;
        }
        const prev = used.get(a.ifname);
        if (prev !== undefined) {
          findings.push(finding(this, path, prev < 0
            ? `interface name "${a.ifname}" is reserved for the cluster network`
            : `interface name "${a.ifname}" is already used by networks[${prev}] of this workload`, `Name it explicitly, e.g. "${a.text.split('@')[0]}@net${w.attachments.length + 1}".`));
          continue;
        }
        used.set(a.ifname, a.position);
      }
    }
    return findings;
  },
};
