import { pascal } from '../model/construct-id';
import { finding, type Finding, type IntentPath, type Rule } from './types';

export const constructIdCollisionRule: Rule = {
  id: 'multinic:ConstructIdCollision',
  level: 'error',
  summary: 'Two subnets, two node groups or two networks on ENIs have names that give the same CloudFormation id (e.g. "a-1" and "a1", or networks "a-b/c" and "a/b-c").',
  why: 'The stacks name resources after the PascalCase of these names (`multus-a` -> `SubnetMultusA`, network `redhet-demo/routable-net` -> `NetworkRedhetDemoRoutableNet`); two equal ids cannot both exist, so the stack cannot be synthesized. Renaming is the only fix that keeps the existing resources.',
  fix: 'Rename one of them so the names differ in more than "-" before a digit.',
  check(intent, model) {
    const findings: Finding[] = [];
    const scan = (list: 'subnets' | 'nodeGroups' | 'networks', entries: ReadonlyArray<{ index: number; name: string; id: string }>) => {
      const first = new Map<string, { index: number; name: string }>();
      for (const { index, name, id } of entries) {
        const prev = first.get(id);
        const path: IntentPath = ['spec', list, index, 'name'];
        if (prev === undefined) first.set(id, { index, name });
        else if (prev.name !== name) findings.push(finding(this, path, `"${name}" and spec.${list}[${prev.index}] ("${prev.name}") both become the id "${id}"`));
      }
    };
    scan('subnets', intent.spec.subnets.map((s, index) => ({ index, name: s.name, id: pascal(s.name) })));
    scan('nodeGroups', intent.spec.nodeGroups.map((g, index) => ({ index, name: g.name, id: pascal(g.name) })));
    // Networks on a node group's ENI get a security group named after namespace and name (infra/network-stack.ts).
    scan('networks', model.networks.filter((n) => n.nodeGroups.length > 0)
      .map((n) => ({ index: n.index, name: n.key, id: `${pascal(n.network.namespace)}${pascal(n.network.name)}` })));
    return findings;
  },
};
