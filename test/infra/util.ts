/**
 * Shared fixtures of the infra tests: intents derived from the default network-intent.yaml, an app with the same
 * context as cdk.json, and helpers to read cross-stack values and user data out of synthesized templates.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parse, stringify } from 'yaml';
import { validateText } from '../../lib/intent/validate';
import type { Finding } from '../../lib/findings';
import { networkIntentSchema } from '../../lib/intent/schema';
import type { NetworkIntent, NetworkIntentInput } from '../../lib/intent/types';
import { addMultinicStacks, type MultinicStacksProps } from '../../infra/stacks';

export const REPO = path.resolve(__dirname, '..', '..');
export const MANIFESTS_FIXTURE = path.join(__dirname, 'fixtures', 'manifests');
/** Stands in for infra/node/multinic-eni.sh, which another module owns and tests. */
export const ENI_SCRIPT_FIXTURE = '#!/bin/bash\n# fixture ENI step\nexit 0\n';

/** The context of cdk.json, so tests synthesize what `npx cdk synth` does. */
export function cdkJsonContext(): Record<string, unknown> {
  return (JSON.parse(fs.readFileSync(path.join(REPO, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
}

/** The default intent as written (input form), deep-copied so a test can change it. */
export function defaultIntentInput(): NetworkIntentInput {
  return parse(fs.readFileSync(path.join(REPO, 'network-intent.yaml'), 'utf8')) as NetworkIntentInput;
}

/** The default intent with `mutate` applied to its input form, then parsed (defaults applied). */
export function intentWith(mutate: (raw: NetworkIntentInput) => void = () => {}): NetworkIntent {
  const raw = defaultIntentInput();
  mutate(raw);
  return networkIntentSchema.parse(raw);
}

/** The error findings of the default intent with `mutate` applied, validated from YAML text as the CLI does. */
export function errorsWith(mutate: (raw: NetworkIntentInput) => void): Finding[] {
  const raw = defaultIntentInput();
  mutate(raw);
  return validateText(stringify(raw), 'intent.yaml').findings.filter((f) => f.level === 'error');
}

/**
 * An intent that uses every AWS-side feature: two zones, three secondary subnets (one with a pod reservation),
 * a group with two ENIs (prefixes on one, source/destination check off on the other), a group in the second zone,
 * an admin CIDR and extra node labels.
 */
export function richIntent(workers = 2): NetworkIntent {
  return intentWith((raw) => {
    raw.spec.cluster.adminCidr = '192.0.2.0/24';
    raw.spec.subnets = [
      { name: 'multus-a', cidr: '10.0.128.0/24', zone: 'a', podCidrReservation: '10.0.128.128/25' },
      { name: 'storage-a', cidr: '10.0.129.0/24', zone: 'a' },
      { name: 'multus-b', cidr: '10.0.130.0/24', zone: 'b' },
    ];
    raw.spec.nodeGroups = [
      { name: 'control-plane', role: 'control-plane', instanceType: 'm6i.large', count: 1 },
      {
        name: 'workers-a', role: 'worker', instanceType: 'm6i.xlarge', count: workers, labels: { 'example.com/tier': 'edge' },
        interfaces: [
          { name: 'multus0', subnet: 'multus-a', ipv4PrefixCount: 2 },
          { name: 'storage0', subnet: 'storage-a', sourceDestCheck: false },
        ],
      },
      { name: 'workers-b', role: 'worker', instanceType: 'm6i.large', count: workers, interfaces: [{ name: 'multus0', subnet: 'multus-b' }] },
    ];
    raw.spec.networks = [];
    raw.spec.workloads = [];
    raw.spec.services = [];
    raw.spec.configMaps = [];
  });
}

export interface Synthesized {
  readonly app: App;
  readonly network: Template;
  readonly cluster: Template;
  readonly stacks: ReturnType<typeof addMultinicStacks>;
}

/** Both stacks for `intent`, built-in validation off (set CDK_VALIDATION=false in the test file). */
export function synth(intent: NetworkIntent, props: Partial<MultinicStacksProps> = {}, context: Record<string, unknown> = {}): Synthesized {
  const app = new App({ context: { ...cdkJsonContext(), ...context } });
  const stacks = addMultinicStacks(app, { intent, manifestsDir: MANIFESTS_FIXTURE, eniScript: ENI_SCRIPT_FIXTURE, ...props });
  return { app, stacks, network: Template.fromStack(stacks.network), cluster: Template.fromStack(stacks.cluster) };
}

/** The `Fn::ImportValue` the cluster stack uses for a network-stack value (`{Ref}` or `{Fn::GetAtt}`). */
export function importOf(network: Template, value: unknown): { 'Fn::ImportValue': string } {
  const outputs = network.toJSON().Outputs as Record<string, { Value: unknown; Export: { Name: string } }>;
  const hit = Object.values(outputs).find((o) => JSON.stringify(o.Value) === JSON.stringify(value));
  if (!hit) throw new Error(`no export of ${JSON.stringify(value)}`);
  return { 'Fn::ImportValue': hit.Export.Name };
}

/** Logical id of the only resource of `type` whose id starts with `prefix`. */
export function logicalId(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`expected one ${type} starting with ${prefix}, found ${ids.join(', ') || 'none'}`);
  return ids[0];
}

/** Flattens a resolved `Fn::Join` (or a plain string) into text, intrinsics shown as `<TOKEN>`. */
export function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if (v && Array.isArray(v['Fn::Join'])) {
    const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(flatten).join(sep);
  }
  return '<TOKEN>';
}

/** The MIME parts of a launch template's user data: content type and body. */
export function userDataParts(template: Template, launchTemplateId: string): Array<{ contentType: string; body: string }> {
  const lt = template.toJSON().Resources[launchTemplateId] as { Properties: { LaunchTemplateData: { UserData: { 'Fn::Base64': unknown } } } };
  const text = flatten(lt.Properties.LaunchTemplateData.UserData['Fn::Base64']);
  const boundary = /boundary="([^"]+)"/.exec(text)?.[1];
  if (!boundary) throw new Error('user data is not multipart');
  return text.split(`--${boundary}`).slice(1, -1).map((chunk) => {
    const [head, ...rest] = chunk.replace(/^\n/, '').split('\n\n');
    return { contentType: /Content-Type: ([^\n]+)/.exec(head)?.[1] ?? '', body: rest.join('\n\n') };
  });
}

/** `Template.hasResourceProperties`, named so the lint rule sees an assertion. */
export function expectResource(template: Template, type: string, props: unknown): void {
  template.hasResourceProperties(type, props);
}
