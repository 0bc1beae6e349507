/**
 * Findings raised before any rule runs, while the intent is read (`lib/intent/load.ts`): YAML syntax and the zod
 * schema. They have no `Rule` object, so their catalogue entries are described here; the catalogue test checks that
 * each id is really produced by `parseIntent` for its example.
 */
import type { Level } from '../findings';

export interface StructuralCheck {
  readonly id: string;
  readonly level: Level;
  readonly summary: string;
  readonly why: string;
  readonly fix: string;
}

export const STRUCTURAL_CHECKS: readonly StructuralCheck[] = [
  {
    id: 'multinic:YamlSyntax', level: 'error',
    summary: 'The intent file is not valid YAML (indentation, quoting, a duplicate key).',
    why: 'Nothing can be read from it; a duplicate key would otherwise silently drop one of the two values.',
    fix: 'Fix the YAML syntax at the line and column shown.',
  },
  {
    id: 'multinic:Schema', level: 'error',
    summary: 'A field is missing, has the wrong type, or a value is out of bounds or not allowed.',
    why: 'Every object multinic emits is derived from these fields; a wrong type would turn into a broken manifest or stack.',
    fix: 'Write the field as the message says; docs/intent.md and schema/network-intent.schema.json describe every field.',
  },
  {
    id: 'multinic:UnknownField', level: 'error',
    summary: 'A field the schema does not know (usually a typo), with the nearest known name.',
    why: 'An ignored field is a setting the author thinks is applied and is not.',
    fix: 'Rename it to the suggested field, or remove it.',
  },
  {
    id: 'multinic:UnknownCniPlugin', level: 'error',
    summary: 'A network names a CNI plugin multinic cannot configure.',
    why: 'Multus would fail every pod attaching the network with "failed to find plugin".',
    fix: 'Use one of the known plugins (the message lists them and suggests the nearest).',
  },
  {
    id: 'multinic:UnknownIpamPlugin', level: 'error',
    summary: 'A network names an IPAM plugin multinic cannot configure (the seed\'s "whereaboutsss").',
    why: 'The pod sandbox fails to start: the plugin binary does not exist on the node.',
    fix: 'Use one of the known IPAM plugins (the message lists them and suggests the nearest).',
  },
  {
    id: 'multinic:UnknownWorkloadKind', level: 'error',
    summary: 'A workload has a kind other than Pod or Deployment.',
    why: 'multinic only knows how to render those two kinds with their network annotations and node affinity.',
    fix: 'Use Pod or Deployment.',
  },
];
