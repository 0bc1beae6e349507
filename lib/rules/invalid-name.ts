import { DNS1123_LABEL } from '../intent/schema';
import { finding, type Finding, type IntentPath, type Rule } from './types';

export const invalidNameRule: Rule = {
  id: 'multinic:InvalidName',
  level: 'error',
  summary: 'A name or namespace is not a DNS-1123 label.',
  why: 'Kubernetes rejects the object at apply time, after other objects of the same change were already applied.',
  fix: 'Use lower case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters.',
  check(intent) {
    const { spec } = intent;
    const names: Array<[IntentPath, string]> = [[['metadata', 'name'], intent.metadata.name]];
    spec.subnets.forEach((s, i) => names.push([['spec', 'subnets', i, 'name'], s.name]));
    spec.nodeGroups.forEach((g, i) => names.push([['spec', 'nodeGroups', i, 'name'], g.name]));
    for (const [list, items] of [['networks', spec.networks], ['workloads', spec.workloads], ['services', spec.services], ['configMaps', spec.configMaps]] as const) {
      (items as ReadonlyArray<{ name: string; namespace: string }>).forEach((o, i) => {
        names.push([['spec', list, i, 'name'], o.name], [['spec', list, i, 'namespace'], o.namespace]);
      });
    }
    const findings: Finding[] = [];
    for (const [path, value] of names) {
      if (value.length > 63 || !DNS1123_LABEL.test(value)) {
        const suggestion = value.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63);
        findings.push(finding(this, path, `"${value}" is not a DNS-1123 label`, suggestion ? `Rename it, e.g. "${suggestion}".` : this.fix));
      }
    }
    return findings;
  },
};
