import { nodeLabelList, nodeLabelProblem } from '../model/node-labels';
import { finding, type Finding, type Rule } from './types';

export const nodeLabelRule: Rule = {
  id: 'multinic:NodeLabel',
  level: 'error',
  summary: 'A node label of a group (its own labels, or the multinic.dev/interface-<name> label of an interface) is not one kubelet accepts.',
  why: 'kubelet refuses to start with an invalid --node-labels entry, so the node never joins the cluster.',
  fix: 'Use [prefix/]name keys and values of at most 63 letters, digits, "-", "_", ".", starting and ending with a letter or digit, outside the kubernetes.io and k8s.io namespaces.',
  check(intent) {
    const findings: Finding[] = [];
    intent.spec.nodeGroups.forEach((g, gi) => {
      for (const l of nodeLabelList(g)) {
        const problem = nodeLabelProblem(l.key, l.value);
        if (problem === undefined) continue;
        const fromInterface = l.from[0] === 'interfaces';
        findings.push(finding(this, ['spec', 'nodeGroups', gi, ...l.from],
          `node label ${l.key}=${l.value} of group "${g.name}": ${problem}`,
          fromInterface ? 'Rename the interface so it ends with a letter or digit (e.g. multus0), and update the networks that use it.' : undefined));
      }
    });
    return findings;
  },
};
