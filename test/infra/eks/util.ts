/**
 * Shared fixtures of the EKS stack tests: the default intent as flavour eks (and a richer one), synthesized once per
 * test file with the charts' real output for that intent as the manifests.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { synthManifests } from '../../../charts/app';
import { addEksStacks, type EksStacksProps } from '../../../infra/eks/stacks';
import type { NetworkIntent, NetworkIntentInput } from '../../../lib/intent/types';
import { cdkJsonContext, ENI_SCRIPT_FIXTURE, intentWith } from '../util';

/** The default intent as flavour eks: EKS 1.36, the VPC CNI, no control-plane group. */
export function eksIntent(mutate: (raw: NetworkIntentInput) => void = () => undefined): NetworkIntent {
  return intentWith((raw) => {
    raw.spec.cluster = { ...raw.spec.cluster, flavour: 'eks', kubernetesVersion: '1.36.5', primaryCni: 'aws-vpc-cni' };
    raw.spec.nodeGroups = raw.spec.nodeGroups.filter((g) => g.role !== 'control-plane');
    mutate(raw);
  });
}

/** `eksIntent` plus a second Multus ENI with the source/destination check off, and a group in zone b without ENIs. */
export function richEksIntent(): NetworkIntent {
  return eksIntent((raw) => {
    raw.spec.subnets = [...(raw.spec.subnets ?? []), { name: 'storage-a', cidr: '10.0.129.0/24', zone: 'a' }];
    raw.spec.nodeGroups[0].interfaces = [...(raw.spec.nodeGroups[0].interfaces ?? []), { name: 'storage0', subnet: 'storage-a', sourceDestCheck: false }];
    raw.spec.nodeGroups.push({ name: 'plain', role: 'worker', instanceType: 'm6i.large', count: 1 });
  });
}

/** The charts' output for `intent`, in a fresh directory. */
export function manifestsFor(intent: NetworkIntent): string {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-eks-manifests-')), 'm');
  synthManifests(intent, dir);
  return dir;
}

export interface EksSynthesized {
  readonly stacks: ReturnType<typeof addEksStacks>;
  readonly network: Template;
  readonly cluster: Template;
  readonly manifestsDir: string;
}

/** Both stacks of `intent` (built-in validation off: set CDK_VALIDATION=false in the test file). */
export function synthEks(intent: NetworkIntent, props: Partial<EksStacksProps> = {}, context: Record<string, unknown> = {}): EksSynthesized {
  const app = new App({ context: { ...cdkJsonContext(), ...context } });
  const manifestsDir = props.manifestsDir ?? manifestsFor(intent);
  const stacks = addEksStacks(app, { intent, manifestsDir, eniScript: ENI_SCRIPT_FIXTURE, ...props });
  return { stacks, network: Template.fromStack(stacks.network), cluster: Template.fromStack(stacks.cluster), manifestsDir };
}
