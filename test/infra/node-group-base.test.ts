process.env.CDK_VALIDATION = 'false';
import type { Template } from 'aws-cdk-lib/assertions';
import { INFRA_DEFAULTS } from '../../infra/defaults';
import { eksIntent, richEksIntent, synthEks } from './eks/util';
import { intentWith, logicalId, richIntent, synth } from './util';

/**
 * NodeGroupBase is what the kubeadm and the eks node groups share. GIVEN the same worker group under both flavours,
 * THEN everything the base builds is the same: the secondary ENIs (subnets, security groups, prefixes), the tags,
 * the IMDS and root-volume settings, Session Manager and the source/destination-check permission; only the primary
 * ENI's groups, the AMI and the root device differ, as each flavour sets them.
 */
const launchData = (t: Template, group: string) =>
  t.toJSON().Resources[logicalId(t, 'AWS::EC2::LaunchTemplate', `NodeGroup${group}LaunchTemplate`)].Properties.LaunchTemplateData;
const statements = (t: Template, group: string) => Object.entries(t.findResources('AWS::IAM::Policy'))
  .filter(([id]) => id.startsWith(`NodeGroup${group}`))
  .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Array<{ Sid?: string }>);

describe('NodeGroupBase: one launch template and role for both flavours', () => {
  const kubeadm = synth(intentWith());
  const eks = synthEks(eksIntent());

  test('the secondary ENIs are identical (same network stack exports): subnet, the networks\' security groups, prefixes, description', () => {
    const [, ...k] = launchData(kubeadm.cluster, 'Workers').NetworkInterfaces;
    const [, ...e] = launchData(eks.cluster, 'Workers').NetworkInterfaces;
    expect(k).toHaveLength(1);
    expect(e).toEqual(k);
  });

  test('the primary ENI differs only in the groups each flavour gives it', () => {
    const [k] = launchData(kubeadm.cluster, 'Workers').NetworkInterfaces;
    const [e] = launchData(eks.cluster, 'Workers').NetworkInterfaces;
    expect(k.Description).toBe('multinic seed-lab: primary (cluster network)');
    expect(e.Description).toBe('multinic seed-lab: primary (VPC CNI)');
    expect(e.Groups).toHaveLength(2);
    expect(e.Groups[1]).toEqual(k.Groups[0]);
  });

  test('IMDSv2 with the one hop limit, an encrypted gp3 root of the one size, no key pair; tags on volumes and ENIs the same', () => {
    const k = launchData(kubeadm.cluster, 'Workers');
    const e = launchData(eks.cluster, 'Workers');
    expect(e.MetadataOptions).toEqual(k.MetadataOptions);
    expect(k.MetadataOptions.HttpPutResponseHopLimit).toBe(INFRA_DEFAULTS.imdsHopLimit);
    const ebs = (d: typeof k) => d.BlockDeviceMappings[0].Ebs;
    expect(ebs(e)).toEqual(ebs(k));
    expect(ebs(k)).toEqual({ DeleteOnTermination: true, Encrypted: true, VolumeSize: INFRA_DEFAULTS.rootVolumeGiB, VolumeType: 'gp3' });
    expect([k.KeyName, e.KeyName]).toEqual([undefined, undefined]);
    const spec = (d: typeof k, type: string) => d.TagSpecifications.find((t: { ResourceType: string }) => t.ResourceType === type).Tags;
    for (const type of ['volume', 'network-interface']) expect(spec(e, type)).toEqual(spec(k, type));
    // the instance: eks adds the kubernetes.io/cluster tag, nothing else differs
    expect(spec(e, 'instance')).toEqual([...spec(k, 'instance'), { Key: expect.objectContaining({ 'Fn::Join': expect.anything() }), Value: 'owned' }]);
  });

  test('Session Manager and the tag-scoped source/destination check are the same statements in both', () => {
    const k = synth(richIntent());
    const e = synthEks(richEksIntent());
    // the rich intents' groups with the check off: workers-a (kubeadm), workers (eks)
    const pick = (st: Array<{ Sid?: string; Condition?: unknown }>, sid: string) => st.find((s) => s.Sid === sid);
    const ks = statements(k.cluster, 'WorkersA');
    const es = statements(e.cluster, 'Workers');
    expect(pick(es, 'SessionManager')).toEqual(pick(ks, 'SessionManager'));
    const strip = (s?: { Condition?: unknown }) => ({ ...s, Condition: undefined });
    expect(strip(pick(es, 'SourceDestCheckOff'))).toEqual(strip(pick(ks, 'SourceDestCheckOff')));
    expect(pick(es, 'SourceDestCheckOff')).toBeDefined();
  });
});
