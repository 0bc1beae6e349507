process.env.CDK_VALIDATION = 'false';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { INFRA_DEFAULTS } from '../../infra/defaults';
import { BUILTIN_PRUNE_KINDS, pruneAllowlist } from '../../infra/manifest-sync';
import { VERSIONS } from '../../lib/versions';
import { logicalId, richIntent, synth } from './util';

describe('ManifestSync', () => {
  const s = synth(richIntent());
  const resources = s.cluster.toJSON().Resources as Record<string, { Type: string; Properties: any; DependsOn?: string[] }>;
  const association = Object.values(resources).find((r) => r.Type === 'AWS::SSM::Association')!;
  const document = Object.values(resources).find((r) => r.Type === 'AWS::SSM::Document')!;

  test('targets the control plane by its cluster and node-group tags and waits for success', () => {
    expect(association.Properties.Targets).toEqual([
      { Key: 'tag:multinic.dev/cluster', Values: ['seed-lab'] },
      { Key: 'tag:multinic.dev/node-group', Values: ['control-plane'] },
    ]);
    expect(association.Properties.WaitForSuccessTimeoutSeconds).toBe(INFRA_DEFAULTS.manifestsWaitSeconds);
    expect(association.Properties.ApplyOnlyAtCronInterval).toBe(false);
    expect(association.Properties.ScheduleExpression).toBeUndefined();
  });

  test('its parameters are the content-addressed manifests key and the Calico pin, so a change re-runs it', () => {
    const p = association.Properties.Parameters;
    expect(s.stacks.cluster.resolve(p.manifestsKey)).toEqual([s.stacks.cluster.resolve(s.stacks.cluster.manifests.s3ObjectKey)]);
    expect(p.calicoSha256).toEqual([VERSIONS.calico.manifestSha256]);
    expect(p.calicoUrl).toEqual([VERSIONS.calico.manifestUrl]);
    expect(p.pruneAllowlist[0].split(' ')).toEqual(expect.arrayContaining([...BUILTIN_PRUNE_KINDS]));
  });

  test('runs only after the control plane signalled (its Auto Scaling group) and its policy exists', () => {
    const asg = logicalId(s.cluster, 'AWS::AutoScaling::AutoScalingGroup', 'NodeGroupControlPlaneAutoScalingGroup');
    expect(association.DependsOn).toEqual(expect.arrayContaining([asg]));
    expect(association.DependsOn!.some((d) => resources[d].Type === 'AWS::IAM::Policy')).toBe(true);
  });

  test('the document runs apply-manifests.sh with quoted parameters that cannot carry a quote', () => {
    const content = document.Properties.Content;
    expect(content.mainSteps[0].inputs.runCommand).toEqual([
      "/usr/local/lib/multinic/apply-manifests.sh '{{manifestsBucket}}' '{{manifestsKey}}' '{{calicoUrl}}' '{{calicoSha256}}' '{{pruneAllowlist}}'",
    ]);
    for (const p of Object.values(content.parameters) as Array<{ allowedPattern: string }>) {
      expect(p.allowedPattern).not.toContain("'");
      expect(new RegExp(p.allowedPattern).test("x'; rm -rf /")).toBe(false);
    }
  });
});

describe('pruneAllowlist', () => {
  test('adds the custom kinds of the manifests, never a CustomResourceDefinition', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-prune-'));
    fs.writeFileSync(path.join(dir, '0000-a.k8s.yaml'), [
      'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: x}',
      'apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata: {name: n}',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}',
    ].join('\n---\n'));
    const list = pruneAllowlist(dir);
    expect(list).toContain('k8s.cni.cncf.io/v1/NetworkAttachmentDefinition');
    expect(list).toContain('core/v1/Pod');
    expect(list.some((k) => k.includes('CustomResourceDefinition'))).toBe(false);
    expect([...list].sort()).toEqual(list);
  });
});
