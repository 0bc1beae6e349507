import { DescribeInstancesCommand, DescribeNetworkInterfacesCommand, DescribeSubnetsCommand, EC2Client, type NetworkInterface } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { MultinicError } from '../../lib/errors';
import { observedEni, observeFleet } from '../../lib/aws/verify-aws';
import { CLUSTER, ec2Eni, ec2Instance, matchingFleet, MULTUS_SUBNET, NODE_SUBNET } from '../verify/fixtures';

const ec2Mock = mockClient(EC2Client);
const client = new EC2Client({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } });
const awsError = (name: string, message = name) => Object.assign(new Error(message), { name, $metadata: {} });

beforeEach(() => ec2Mock.reset());

function fleet(instances = matchingFleet().instances, enis = matchingFleet().enis) {
  ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: instances }] });
  ec2Mock.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: enis });
  ec2Mock.on(DescribeSubnetsCommand).resolves({ Subnets: [MULTUS_SUBNET, NODE_SUBNET] });
}

describe('observeFleet', () => {
  test('asks for running instances by cluster tag, their ENIs by instance id, and the ENIs\' subnets', async () => {
    // GIVEN a matching fleet
    fleet();
    // WHEN observed
    const got = await observeFleet(client, CLUSTER);
    // THEN the filters are the cluster tag and state, the instance ids, the subnet ids
    expect(ec2Mock.commandCalls(DescribeInstancesCommand)[0].args[0].input).toEqual({
      Filters: [{ Name: 'tag:multinic.dev/cluster', Values: [CLUSTER] }, { Name: 'instance-state-name', Values: ['running'] }],
      MaxResults: 1000,
    });
    expect(ec2Mock.commandCalls(DescribeNetworkInterfacesCommand)[0].args[0].input.Filters).toEqual([
      { Name: 'attachment.instance-id', Values: ['i-0001', 'i-0002', 'i-0003'] },
    ]);
    expect(ec2Mock.commandCalls(DescribeSubnetsCommand)[0].args[0].input.Filters).toEqual([
      { Name: 'subnet-id', Values: ['subnet-multus', 'subnet-nodes'] },
    ]);
    // AND each instance carries its group and its ENIs by device index, with the subnet CIDR filled in
    expect(got.map((i) => [i.id, i.group, i.enis.map((e) => `${e.deviceIndex}:${e.subnetCidr}`)])).toEqual([
      ['i-0001', 'control-plane', ['0:10.0.0.0/20']],
      ['i-0002', 'workers', ['0:10.0.0.0/20', '1:10.0.128.0/24']],
      ['i-0003', 'workers', ['0:10.0.0.0/20', '1:10.0.128.0/24']],
    ]);
    expect(got[1].enis[1]).toEqual({
      id: 'eni-0002-1', deviceIndex: 1, networkCardIndex: 0, subnetId: 'subnet-multus', subnetCidr: '10.0.128.0/24',
      ipv4Prefixes: ['10.0.128.64/28', '10.0.128.80/28'], sourceDestCheck: false,
      tags: { 'node.k8s.amazonaws.com/no_manage': 'true', 'multinic.dev/cluster': CLUSTER },
    });
  });

  test('follows NextToken on every call and reports progress per page', async () => {
    // GIVEN instances over two pages and ENIs over three
    const { instances, enis } = matchingFleet();
    const tokens: Array<string | undefined> = [];
    ec2Mock.on(DescribeInstancesCommand)
      .resolvesOnce({ Reservations: [{ Instances: instances.slice(0, 2) }], NextToken: 'i1' })
      .resolvesOnce({ Reservations: [{ Instances: instances.slice(2) }] });
    const pages = [{ NetworkInterfaces: enis.slice(0, 2), NextToken: 'e1' }, { NetworkInterfaces: enis.slice(2, 4), NextToken: 'e2' }, { NetworkInterfaces: enis.slice(4) }];
    let i = 0;
    ec2Mock.on(DescribeNetworkInterfacesCommand).callsFake(async (input: { NextToken?: string }) => { tokens.push(input.NextToken); return pages[i++]; });
    ec2Mock.on(DescribeSubnetsCommand).resolves({ Subnets: [MULTUS_SUBNET, NODE_SUBNET] });
    const progress: string[] = [];
    // WHEN observed
    const got = await observeFleet(client, CLUSTER, { onPage: (op, p, n) => progress.push(`${op} ${p} ${n}`) });
    // THEN every ENI arrived, tokens were passed on, and each page was reported
    expect(got.flatMap((x) => x.enis).length).toBe(5);
    expect(tokens).toEqual([undefined, 'e1', 'e2']);
    expect(progress).toEqual([
      'DescribeInstances 1 2', 'DescribeInstances 2 3',
      'DescribeNetworkInterfaces 1 2', 'DescribeNetworkInterfaces 2 4', 'DescribeNetworkInterfaces 3 5',
      'DescribeSubnets 1 2',
    ]);
  });

  test('splits the instance-id filter into chunks (EC2 takes at most 200 values) and keeps counting pages', async () => {
    const instances = Array.from({ length: 5 }, (_, k) => ec2Instance(`i-000${k}`, 'workers', `10.0.0.${k}`));
    fleet(instances, instances.map((x) => ec2Eni(x.InstanceId!, 0)));
    const progress: string[] = [];
    await observeFleet(client, CLUSTER, { filterChunk: 2, onPage: (op, p) => progress.push(`${op} ${p}`) });
    expect(ec2Mock.commandCalls(DescribeNetworkInterfacesCommand).map((c) => c.args[0].input.Filters?.[0].Values)).toEqual([
      ['i-0000', 'i-0001'], ['i-0002', 'i-0003'], ['i-0004'],
    ]);
    expect(progress.filter((p) => p.startsWith('DescribeNetworkInterfaces'))).toEqual(['DescribeNetworkInterfaces 1', 'DescribeNetworkInterfaces 2', 'DescribeNetworkInterfaces 3']);
  });

  test('no instance: no ENI or subnet call', async () => {
    fleet([], []);
    expect(await observeFleet(client, CLUSTER)).toEqual([]);
    expect(ec2Mock.commandCalls(DescribeNetworkInterfacesCommand)).toHaveLength(0);
    expect(ec2Mock.commandCalls(DescribeSubnetsCommand)).toHaveLength(0);
  });

  test.each([
    ['DescribeInstances', DescribeInstancesCommand],
    ['DescribeNetworkInterfaces', DescribeNetworkInterfacesCommand],
    ['DescribeSubnets', DescribeSubnetsCommand],
  ] as const)('access denied on %s names the missing permission', async (op, command) => {
    fleet();
    ec2Mock.on(command as typeof DescribeInstancesCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.'));
    await expect(observeFleet(client, CLUSTER)).rejects.toThrow(new MultinicError('AWS_ACCESS_DENIED',
      `${op} was denied (UnauthorizedOperation: You are not authorized to perform this operation.). Grant the caller ec2:${op} (read-only) or use another profile.`));
  });

  test('no credentials becomes AWS_NO_CREDENTIALS', async () => {
    ec2Mock.on(DescribeInstancesCommand).rejects(awsError('CredentialsProviderError', 'Could not load credentials from any providers'));
    await expect(observeFleet(client, CLUSTER)).rejects.toMatchObject({ code: 'AWS_NO_CREDENTIALS' });
  });
});

describe('observedEni', () => {
  test('a detached ENI is skipped; defaults for a sparse record', () => {
    expect(observedEni({ NetworkInterfaceId: 'eni-x', Status: 'available' })).toBeUndefined();
    const sparse: NetworkInterface = { Attachment: { InstanceId: 'i-1', DeviceIndex: 3 } };
    expect(observedEni(sparse)).toEqual({
      instanceId: 'i-1',
      eni: { id: '?', deviceIndex: 3, networkCardIndex: 0, subnetId: '?', ipv4Prefixes: [], tags: {}, sourceDestCheck: true },
    });
  });
});
