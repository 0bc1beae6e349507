import { finding, type Finding, type IntentPath, type Rule } from './types';

export const duplicateNameRule: Rule = {
  id: 'multinic:DuplicateName',
  level: 'error',
  summary: 'Two entries of the same list share a name (in the same namespace).',
  why: 'The second silently replaces the first on the cluster, or the stacks refuse to synthesise.',
  fix: 'Give each entry its own name.',
  check(intent) {
    const { spec } = intent;
    const findings: Finding[] = [];
    const scan = <T>(list: string, items: readonly T[], key: (t: T) => string, show: (t: T) => string = key) => {
      const first = new Map<string, number>();
      items.forEach((item, i) => {
        const k = key(item);
        const prev = first.get(k);
        if (prev === undefined) first.set(k, i);
        else findings.push(finding(this, ['spec', list, i, 'name'], `"${show(item)}" is already defined at spec.${list}[${prev}]`));
      });
    };
    scan('subnets', spec.subnets, (s) => s.name);
    scan('nodeGroups', spec.nodeGroups, (g) => g.name);
    scan('networks', spec.networks, (n) => `${n.namespace}/${n.name}`);
    scan('workloads', spec.workloads, (w) => `${w.kind} ${w.namespace}/${w.name}`, (w) => `${w.namespace}/${w.name}`);
    scan('services', spec.services, (s) => `${s.namespace}/${s.name}`);
    scan('configMaps', spec.configMaps, (c) => `${c.namespace}/${c.name}`);
    spec.nodeGroups.forEach((g, gi) => {
      const seen = new Map<string, number>();
      g.interfaces.forEach((itf, ii) => {
        const prev = seen.get(itf.name);
        const path: IntentPath = ['spec', 'nodeGroups', gi, 'interfaces', ii, 'name'];
        if (prev !== undefined) findings.push(finding(this, path, `interface "${itf.name}" is already defined at spec.nodeGroups[${gi}].interfaces[${prev}]`));
        else seen.set(itf.name, ii);
      });
    });
    return findings;
  },
};
