import { finding, type Finding, type Rule } from './types';

export const configMapNotFoundRule: Rule = {
  id: 'multinic:ConfigMapNotFound',
  level: 'error',
  summary: 'A workload mounts a ConfigMap that spec.configMaps does not define in its namespace.',
  why: 'The pod stays in ContainerCreating with "configmap not found".',
  fix: 'Add the ConfigMap to spec.configMaps in the workload\'s namespace, or correct the name.',
  check(intent) {
    const defined = new Set(intent.spec.configMaps.map((c) => `${c.namespace}/${c.name}`));
    const findings: Finding[] = [];
    intent.spec.workloads.forEach((w, i) => w.container.mounts.forEach((m, j) => {
      if (!defined.has(`${w.namespace}/${m.configMap}`)) {
        findings.push(finding(this, ['spec', 'workloads', i, 'container', 'mounts', j, 'configMap'], `ConfigMap "${w.namespace}/${m.configMap}" is not defined`));
      }
    }));
    return findings;
  },
};
