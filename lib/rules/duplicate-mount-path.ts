import { finding, type Finding, type Rule } from './types';

export const duplicateMountPathRule: Rule = {
  id: 'multinic:DuplicateMountPath',
  level: 'error',
  summary: 'A container mounts two volumes at the same path.',
  why: 'The API server rejects the pod ("must be unique"), so the workload is never created.',
  fix: 'Give every mount of a container its own path.',
  check(intent) {
    const findings: Finding[] = [];
    intent.spec.workloads.forEach((w, wi) => {
      const seen = new Map<string, number>();
      w.container.mounts.forEach((m, mi) => {
        const path = m.path.replace(/\/+$/, '') || '/';
        const prev = seen.get(path);
        if (prev === undefined) seen.set(path, mi);
        else findings.push(finding(this, ['spec', 'workloads', wi, 'container', 'mounts', mi, 'path'], `${m.path} is already the path of mounts[${prev}]`));
      });
    });
    return findings;
  },
};
