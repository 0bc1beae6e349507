process.env.CDK_VALIDATION = 'false';
import { Match } from 'aws-cdk-lib/assertions';
import { interfaceLabel } from '../../lib/model/labels';
import { nodeLabels } from '../../infra/cluster-stack';
import { CALICO, INFRA_DEFAULTS } from '../../infra/defaults';
import { VERSIONS } from '../../lib/versions';
import { errorsWith, intentWith, logicalId, richIntent, synth, userDataParts, expectResource } from './util';

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
const statementsOf = (docs: Array<{ Statement: Statement[] }>) => docs.flatMap((d) => d.Statement);
const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('ClusterStack', () => {
  // GIVEN the rich intent
  const s = synth(richIntent());
  const { cluster } = s;
  const policies = () => statementsOf(Object.values(cluster.findResources('AWS::IAM::Policy')).map((p) => p.Properties.PolicyDocument));
  const policyOf = (group: string) => statementsOf(Object.entries(cluster.findResources('AWS::IAM::Policy')).filter(([id]) => id.startsWith(`NodeGroup${group}`)).map(([, p]) => p.Properties.PolicyDocument));
  const env = (group: string) => {
    const parts = userDataParts(cluster, logicalId(cluster, 'AWS::EC2::LaunchTemplate', `NodeGroup${group}LaunchTemplate`));
    const text = parts[0].body;
    return Object.fromEntries([...text.matchAll(/^ {6}([A-Z0-9_]+)="([^"]*)"$/gm)].map((m) => [m[1], m[2]]));
  };

  test('no IAM statement has a wildcard action, in role policies or the key policy', () => {
    const key = Object.values(cluster.findResources('AWS::KMS::Key')).map((k) => k.Properties.KeyPolicy);
    const all = [...policies(), ...statementsOf(key)];
    expect(all.length).toBeGreaterThan(10);
    for (const st of all) for (const a of actions(st)) expect(a).not.toContain('*');
  });

  test('the only "*" resources are agent and describe actions, which take no ARN', () => {
    const star = policies().filter((st) => st.Resource === '*');
    expect(star.map((st) => st.Sid).sort()).toEqual(['FindTerminatingWorkers', 'SessionManager', 'SessionManager', 'SessionManager', 'StateManagerAgent']);
    for (const st of star) for (const a of actions(st)) expect(a).toMatch(/^(ssm:(List|Describe|Get|Update)|ssmmessages:|ec2messages:|autoscaling:Describe|ec2:Describe)/);
  });

  test('every node may signal only its own stack; only the control plane completes lifecycle actions, on this cluster\'s groups', () => {
    for (const group of ['ControlPlane', 'WorkersA', 'WorkersB']) {
      const st = policyOf(group).find((x) => x.Sid === 'SignalCloudFormation')!;
      expect(actions(st)).toEqual(['cloudformation:SignalResource']);
      expect(st.Resource).toEqual({ Ref: 'AWS::StackId' });
    }
    const complete = policyOf('ControlPlane').find((x) => x.Sid === 'ContinueTerminationAfterDrain')!;
    expect(complete.Condition).toEqual({ StringEquals: { 'autoscaling:ResourceTag/multinic.dev/cluster': 'seed-lab' } });
    expect(policyOf('WorkersA').some((x) => x.Sid === 'ContinueTerminationAfterDrain')).toBe(false);
  });

  test('the control plane publishes join data; workers only read and decrypt it, for that one parameter', () => {
    const cp = policyOf('ControlPlane');
    const w = policyOf('WorkersA');
    const param = cp.find((st) => st.Sid === 'PublishJoinData')!;
    expect(actions(param)).toEqual(['ssm:PutParameter', 'ssm:GetParameter']);
    const read = w.find((st) => st.Sid === 'ReadJoinData')!;
    expect(actions(read)).toEqual(['ssm:GetParameter']);
    expect(read.Resource).toEqual(param.Resource);
    const decrypt = w.find((st) => st.Sid === 'DecryptJoinData')!;
    expect(actions(decrypt)).toEqual(['kms:Decrypt']);
    expect(decrypt.Condition).toEqual({ StringEquals: { 'kms:EncryptionContext:PARAMETER_ARN': expect.anything() } });
    expect(JSON.stringify(decrypt.Condition)).toContain('/join');
    expect(w.some((st) => actions(st).includes('ssm:PutParameter'))).toBe(false);
    expect(w.some((st) => actions(st).some((a) => a.startsWith('kms:Encrypt')))).toBe(false);
  });

  test('the join key rotates and is usable only with the join parameter\'s encryption context', () => {
    expectResource(cluster, 'AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'UseOnlyForTheJoinParameter', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'], Condition: { StringEquals: { 'kms:EncryptionContext:PARAMETER_ARN': Match.anyValue() } } })]) },
    });
  });

  test('only the control plane reads the manifests asset, and only that object', () => {
    const read = policies().filter((st) => st.Sid === 'ReadManifests');
    expect(read).toHaveLength(1);
    expect(policyOf('ControlPlane')).toContainEqual(read[0]);
    expect(JSON.stringify(read[0].Resource)).toContain(`/${s.stacks.cluster.manifests.s3ObjectKey}`);
  });

  test('each node gets its interface labels and its group\'s own labels', () => {
    expect(env('WorkersA').NODE_LABELS).toBe(`multinic.dev/node-group=workers-a,${interfaceLabel('multus0')}=true,${interfaceLabel('storage0')}=true,example.com/tier=edge`);
    expect(env('WorkersA').NODE_LABELS).toContain('multinic.dev/interface-multus0=true');
    expect(env('ControlPlane').NODE_LABELS).toBe('multinic.dev/node-group=control-plane');
  });

  test('the bootstrap settings carry the intent\'s version and CIDRs, the join bound and the pinned Calico', () => {
    const cp = env('ControlPlane');
    expect(cp).toMatchObject({ K8S_VERSION: '1.36.5', POD_CIDR: '172.16.0.0/16', SERVICE_CIDR: '10.96.0.0/12', CALICO_URL: CALICO.manifestUrl, CALICO_SHA256: VERSIONS.calico.manifestSha256, JOIN_TOKEN_TTL: INFRA_DEFAULTS.joinTokenTtl, MULTINIC_ROLE: 'control-plane' });
    expect(env('WorkersA')).toMatchObject({ JOIN_TIMEOUT: String(INFRA_DEFAULTS.joinTimeoutSeconds), SOURCE_DEST_CHECK_OFF: '2', MULTINIC_ROLE: 'worker' });
    expect(env('WorkersB').SOURCE_DEST_CHECK_OFF).toBe('');
  });

  test('the Calico digest is the one pinned in lib/versions.ts, never a placeholder', () => {
    expect(env('ControlPlane').CALICO_SHA256).toMatch(/^[0-9a-f]{64}$/);
    expect(env('ControlPlane').CALICO_URL).toContain(`/${VERSIONS.calico.version}/manifests/calico.yaml`);
  });
});

describe('what the cluster stack once refused is a finding of validate, with a place', () => {
  test.each([
    ['two control-plane nodes', (r: any) => { r.spec.nodeGroups[0].count = 2; }, 'multinic:ControlPlane', 'spec.nodeGroups[0].count'],
    ['no control plane', (r: any) => { r.spec.nodeGroups[0].role = 'worker'; }, 'multinic:ControlPlane', 'spec.nodeGroups'],
    ['Kubernetes outside the pinned support windows', (r: any) => { r.spec.cluster.kubernetesVersion = '1.33.5'; }, 'multinic:KubernetesVersion', 'spec.cluster.kubernetesVersion'],
    ['ENIs in two zones', (r: any) => { r.spec.subnets.push({ name: 'multus-b', cidr: '10.0.130.0/24', zone: 'b' }); r.spec.nodeGroups[1].interfaces.push({ name: 'multus1', subnet: 'multus-b' }); }, 'multinic:InterfacesSpanZones', 'spec.nodeGroups[1].interfaces[1].subnet'],
    ['an interface on an unknown subnet', (r: any) => { r.spec.nodeGroups[1].interfaces[0].subnet = 'nope'; }, 'multinic:UnknownSubnet', 'spec.nodeGroups[1].interfaces[0].subnet'],
    ['a node label Kubernetes rejects', (r: any) => { r.spec.nodeGroups[1].labels = { 'bad key!': 'x' }; }, 'multinic:NodeLabel', 'spec.nodeGroups[1].labels["bad key!"]'],
    ['a node label value with a quote', (r: any) => { r.spec.nodeGroups[1].labels = { team: 'a"b' }; }, 'multinic:NodeLabel', 'spec.nodeGroups[1].labels.team'],
  ])('%s', (_what, mutate, id, path) => {
    const errors = errorsWith(mutate);
    expect(errors.map((f) => `${f.id} ${f.path}`)).toContain(`${id} ${path}`);
    expect(errors.find((f) => f.id === id)?.line).toBeGreaterThan(0);
  });

  test('nodeLabels lists the group, its interfaces and its own labels, as kubelet gets them', () => {
    const intent = intentWith((r: any) => { r.spec.nodeGroups[1].labels = { team: 'net' }; });
    expect(nodeLabels(intent, intent.spec.nodeGroups[1])).toEqual(['multinic.dev/node-group=workers', 'multinic.dev/interface-multus0=true', 'team=net']);
  });
});
