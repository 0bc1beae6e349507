import {
  DescribeInstanceTypeOfferingsCommand,
  DescribeInstanceTypesCommand,
  EC2Client,
  type InstanceTypeInfo as Ec2InstanceTypeInfo,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { MultinicError } from '../../lib/errors';
import { describeInstanceTypes, ec2Filters, explainAwsError, fromDescribeInstanceTypes, offeringsInZone } from '../../lib/aws/live';

const ec2Mock = mockClient(EC2Client);
const client = new EC2Client({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } });
const noSleep = { sleep: async () => undefined };

function ec2Type(name: string, enis: number, ipv4: number, extra: Partial<Ec2InstanceTypeInfo> = {}): Ec2InstanceTypeInfo {
  return {
    InstanceType: name as Ec2InstanceTypeInfo['InstanceType'],
    Hypervisor: 'nitro',
    BareMetal: false,
    ProcessorInfo: { SupportedArchitectures: ['x86_64'] },
    NetworkInfo: {
      NetworkPerformance: 'Up to 12.5 Gigabit', MaximumNetworkInterfaces: enis, DefaultNetworkCardIndex: 0,
      NetworkCards: [{ NetworkCardIndex: 0, MaximumNetworkInterfaces: enis }], Ipv4AddressesPerInterface: ipv4,
      EnaSupport: 'required', EfaSupported: false,
    },
    ...extra,
  };
}
const awsError = (name: string, message = name) => Object.assign(new Error(message), { name, $metadata: {} });

beforeEach(() => ec2Mock.reset());

/**
 * Scripts DescribeInstanceTypes answers in order and records the NextToken of each call when it is made
 * (the SDK paginator reuses and mutates one input object, so recorded inputs cannot show it afterwards).
 */
function script(answers: Array<{ InstanceTypes?: Ec2InstanceTypeInfo[]; NextToken?: string } | Error>): Array<string | undefined> {
  const tokens: Array<string | undefined> = [];
  let i = 0;
  ec2Mock.on(DescribeInstanceTypesCommand).callsFake(async (input: { NextToken?: string }) => {
    tokens.push(input.NextToken);
    const a = answers[Math.min(i++, answers.length - 1)];
    if (a instanceof Error) throw a;
    return a;
  });
  return tokens;
}

describe('describeInstanceTypes', () => {
  test('follows NextToken across pages, reports progress and sorts the result', async () => {
    // GIVEN three pages, out of order
    const tokens = script([
      { InstanceTypes: [ec2Type('m6i.large', 3, 10)], NextToken: 't1' },
      { InstanceTypes: [ec2Type('c6in.large', 3, 10), ec2Type('a1.large', 3, 10)], NextToken: 't2' },
      { InstanceTypes: [ec2Type('m5.large', 3, 10)] },
    ]);
    const progress: Array<[number, number]> = [];
    // WHEN listed
    const types = await describeInstanceTypes(client, [], { ...noSleep, onPage: (p, n) => progress.push([p, n]) });
    // THEN every page was read, tokens were passed on, and progress was reported per page
    expect(types.map((t) => t.name)).toEqual(['a1.large', 'c6in.large', 'm5.large', 'm6i.large']);
    expect(tokens).toEqual([undefined, 't1', 't2']);
    expect(progress).toEqual([[1, 1], [2, 3], [3, 4]]);
  });

  test('sends the filters and the page size', async () => {
    ec2Mock.on(DescribeInstanceTypesCommand).resolves({ InstanceTypes: [] });
    await describeInstanceTypes(client, ec2Filters({ ena: 'required', efa: true, arch: 'arm64' }), noSleep);
    expect(ec2Mock.commandCalls(DescribeInstanceTypesCommand)[0].args[0].input).toEqual({
      Filters: [
        { Name: 'network-info.ena-support', Values: ['required'] },
        { Name: 'network-info.efa-supported', Values: ['true'] },
        { Name: 'processor-info.supported-architecture', Values: ['arm64'] },
      ],
      MaxResults: 100,
    });
  });

  test('an empty answer is an empty list', async () => {
    ec2Mock.on(DescribeInstanceTypesCommand).resolves({ InstanceTypes: [] });
    expect(await describeInstanceTypes(client, [], noSleep)).toEqual([]);
  });

  test('a throttled page is retried from its own token, with backoff', async () => {
    // GIVEN page 2 throttled twice
    const tokens = script([
      { InstanceTypes: [ec2Type('m6i.large', 3, 10)], NextToken: 't1' },
      awsError('RequestLimitExceeded'),
      awsError('ThrottlingException'),
      { InstanceTypes: [ec2Type('m5.large', 3, 10)] },
    ]);
    const waits: number[] = [];
    // WHEN listed
    const types = await describeInstanceTypes(client, [], { sleep: async (ms) => { waits.push(ms); } });
    // THEN both types arrive, page 1 was not fetched again, and the waits doubled
    expect(types.map((t) => t.name)).toEqual(['m5.large', 'm6i.large']);
    expect(tokens).toEqual([undefined, 't1', 't1', 't1']);
    expect(waits).toEqual([200, 400]);
  });

  test('throttling that does not stop becomes a clear error', async () => {
    ec2Mock.on(DescribeInstanceTypesCommand).rejects(awsError('Throttling'));
    await expect(describeInstanceTypes(client, [], { ...noSleep, maxAttempts: 3 })).rejects.toThrow(
      new MultinicError('AWS_THROTTLED', 'DescribeInstanceTypes was still throttled after retries (Throttling). Wait a minute and run it again.'));
    expect(ec2Mock.commandCalls(DescribeInstanceTypesCommand)).toHaveLength(3);
  });

  test.each([
    [awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.'), 'AWS_ACCESS_DENIED',
      'DescribeInstanceTypes was denied (UnauthorizedOperation: You are not authorized to perform this operation.). Grant the caller ec2:DescribeInstanceTypes (read-only) or use another profile.'],
    [awsError('CredentialsProviderError', 'Could not load credentials from any providers'), 'AWS_NO_CREDENTIALS',
      'DescribeInstanceTypes: no AWS credentials found. Set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or run where an instance role is available.'],
    [new Error('Region is missing'), 'AWS_NO_REGION', 'DescribeInstanceTypes: no AWS region. Pass --region (e.g. --region us-east-1) or set AWS_REGION.'],
  ])('%s becomes %s with a message saying what to do', async (error, code, message) => {
    ec2Mock.on(DescribeInstanceTypesCommand).rejects(error);
    await expect(describeInstanceTypes(client, [], noSleep)).rejects.toThrow(new MultinicError(code, message));
  });

  test('other errors pass through unchanged', () => {
    const e = awsError('InternalError');
    expect(explainAwsError(e, 'X')).toBe(e);
  });
});

describe('fromDescribeInstanceTypes', () => {
  test('maps a multi-card type to the snapshot shape', () => {
    const t = fromDescribeInstanceTypes(ec2Type('c6in.32xlarge', 16, 50, {
      ProcessorInfo: { SupportedArchitectures: ['x86_64', 'i386'] },
      NetworkInfo: {
        MaximumNetworkInterfaces: 16, DefaultNetworkCardIndex: 0, Ipv4AddressesPerInterface: 50, EnaSupport: 'required', EfaSupported: true,
        NetworkPerformance: '200 Gigabit', NetworkCards: [{ NetworkCardIndex: 1, MaximumNetworkInterfaces: 8 }, { NetworkCardIndex: 0, MaximumNetworkInterfaces: 8 }],
      },
    }));
    expect(t).toEqual({
      name: 'c6in.32xlarge', hypervisor: 'nitro', bareMetal: false, nitro: true, defaultNetworkCardIndex: 0, enisPerCard: [8, 8],
      maxEnisDefaultCard: 8, maxEnis: 16, ipv4PerEni: 50, ena: 'required', efa: true, architectures: ['i386', 'x86_64'],
      networkPerformance: '200 Gigabit',
    });
  });

  test('bare metal without a hypervisor is Nitro with hypervisor unknown', () => {
    const t = fromDescribeInstanceTypes(ec2Type('c5.metal', 15, 50, { Hypervisor: undefined, BareMetal: true }));
    expect([t.hypervisor, t.bareMetal, t.nitro]).toEqual(['unknown', true, true]);
  });
});

describe('offeringsInZone', () => {
  test('pages through the offerings of one zone', async () => {
    ec2Mock.on(DescribeInstanceTypeOfferingsCommand)
      .resolvesOnce({ InstanceTypeOfferings: [{ InstanceType: 'm6i.large', LocationType: 'availability-zone', Location: 'us-east-1a' }], NextToken: 'n' })
      .resolvesOnce({ InstanceTypeOfferings: [{ InstanceType: 'c6in.large', LocationType: 'availability-zone', Location: 'us-east-1a' }] });
    const names = await offeringsInZone(client, 'us-east-1a', noSleep);
    expect([...names].sort()).toEqual(['c6in.large', 'm6i.large']);
    expect(ec2Mock.commandCalls(DescribeInstanceTypeOfferingsCommand)).toHaveLength(2);
    expect(ec2Mock.commandCalls(DescribeInstanceTypeOfferingsCommand)[0].args[0].input).toMatchObject({
      LocationType: 'availability-zone', Filters: [{ Name: 'location', Values: ['us-east-1a'] }], MaxResults: 1000,
    });
  });
});
