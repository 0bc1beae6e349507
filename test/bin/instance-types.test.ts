import { DescribeInstanceTypeOfferingsCommand, DescribeInstanceTypesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { instanceTypesCommand } from '../../bin/commands/instance-types';
import { main } from '../../bin/main';
import { Catalogue } from '../../lib/aws/instance-types';

const ec2Mock = mockClient(EC2Client);
beforeEach(() => ec2Mock.reset());

/** stdout, stderr lines, and what a terminal on stderr was sent (progress), unless `tty` is false. */
function capture(tty = true) {
  const out: string[] = [];
  const err: string[] = [];
  const status: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), ...(tty ? { status: { write: (t: string) => status.push(t) } } : {}) }, out, err, status };
}
/** The progress lines a terminal showed, in order. */
const shown = (c: ReturnType<typeof capture>) => c.status.join('').split(/\r\x1b\[2K|\n/).filter(Boolean);
const client = () => new EC2Client({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } });
const ec2Type = (name: string, enis: number) => ({
  InstanceType: name as 'm6i.large', Hypervisor: 'nitro' as const, BareMetal: false, ProcessorInfo: { SupportedArchitectures: ['x86_64' as const] },
  NetworkInfo: { MaximumNetworkInterfaces: enis, DefaultNetworkCardIndex: 0, NetworkCards: [{ NetworkCardIndex: 0, MaximumNetworkInterfaces: enis }],
    Ipv4AddressesPerInterface: 30, EnaSupport: 'required' as const, EfaSupported: false, NetworkPerformance: '12.5 Gigabit' },
});

describe('multinic instance-types (snapshot)', () => {
  test('filters the snapshot and prints a table with the source', async () => {
    // GIVEN the embedded snapshot WHEN asked for arm64 EFA types with 15+ ENIs
    const c = capture();
    const code = await instanceTypesCommand().run(['--min-enis', '15', '--efa', '--arch', 'arm64', '--ena', 'required'], c.io);
    // THEN every row qualifies and the footer names the snapshot
    expect(code).toBe(0);
    const text = c.out.join('\n');
    expect(text.split('\n')[0]).toMatch(/^TYPE\s+ENIS\s+IPV4\/ENI\s+ENA\s+EFA\s+NITRO\s+ARCH$/);
    expect(text).toMatch(/^c7gn\.16xlarge\s+15\s+50\s+required\s+yes\s+yes\s+arm64$/m);
    expect(text).not.toMatch(/^m6i\./m);
    expect(text).toContain(`instance types (snapshot of ${Catalogue.snapshot().meta.date}).`);
  });

  test('--json gives the records', async () => {
    const c = capture();
    await instanceTypesCommand().run(['--min-enis', '24', '--json'], c.io);
    const parsed = JSON.parse(c.out.join(''));
    expect(parsed.count).toBe(parsed.instanceTypes.length);
    expect(parsed.instanceTypes.every((t: { maxEnisDefaultCard: number }) => t.maxEnisDefaultCard >= 24)).toBe(true);
    expect(parsed.instanceTypes.map((t: { name: string }) => t.name)).toContain('r8gn.24xlarge');
  });

  test('--zone without --live says it was not checked', async () => {
    const c = capture();
    await instanceTypesCommand().run(['--min-enis', '24', '--zone', 'us-east-1a'], c.io);
    expect(c.err).toEqual(['multinic instance-types: the snapshot has no zone offerings; --zone us-east-1a needs --live (not checked).']);
  });

  test.each([
    [['--min-enis', 'two'], 'multinic instance-types: --min-enis must be a whole number of at least 1, got "two"'],
    [['--ena', 'maybe'], 'multinic instance-types: --ena must be one of required, supported, got "maybe"'],
    [['--arch', 'riscv'], 'multinic instance-types: --arch must be one of x86_64, arm64, got "riscv"'],
    [['list'], 'multinic instance-types: unexpected argument "list"; the only sub-command is "refresh"'],
  ])('%j is a usage error', async (args, message) => {
    const c = capture();
    expect(await main(['instance-types', ...args], c.io)).toBe(2);
    expect(c.err).toEqual([message]);
  });
});

describe('multinic instance-types --live', () => {
  test('asks EC2, filters by zone offerings and shows paging progress on a terminal', async () => {
    // GIVEN two pages of types and one zone offering only one of them
    ec2Mock.on(DescribeInstanceTypesCommand)
      .resolvesOnce({ InstanceTypes: [ec2Type('m6i.8xlarge', 8)], NextToken: 'p2' })
      .resolvesOnce({ InstanceTypes: [ec2Type('m6i.large', 3), ec2Type('c6in.8xlarge', 8)] });
    ec2Mock.on(DescribeInstanceTypeOfferingsCommand).resolves({ InstanceTypeOfferings: [{ InstanceType: 'c6in.8xlarge' }] });
    const c = capture();
    // WHEN listed live for a zone
    const code = await instanceTypesCommand({ makeClient: client }).run(['--live', '--zone', 'eu-west-1a', '--min-enis', '4', '--region', 'eu-west-1'], c.io);
    // THEN only the offered type with enough ENIs is printed, and progress went to stderr
    expect(code).toBe(0);
    expect(c.out.join('\n')).toMatch(/^c6in\.8xlarge\s+8\s+30\s+required\s+no\s+yes\s+x86_64\n\n1 instance types \(EC2 DescribeInstanceTypes in eu-west-1\)\.$/m);
    expect(shown(c)).toEqual([
      'multinic instance-types: DescribeInstanceTypes',
      'multinic instance-types: DescribeInstanceTypes: page 1, 1 so far',
      'multinic instance-types: DescribeInstanceTypes: page 2, 3 so far',
      'multinic instance-types: offerings in eu-west-1a: page 1, 1 so far',
    ]);
    expect(c.err).toEqual([]);
  });

  test('--json: the records and no progress, even on a terminal', async () => {
    ec2Mock.on(DescribeInstanceTypesCommand).resolves({ InstanceTypes: [ec2Type('c6in.8xlarge', 8)] });
    const c = capture();
    expect(await instanceTypesCommand({ makeClient: client }).run(['--live', '--json'], c.io)).toBe(0);
    expect(JSON.parse(c.out.join('\n')).count).toBe(1);
    expect([c.status, c.err]).toEqual([[], []]);
  });

  test('without credentials it says so and answers from the snapshot', async () => {
    ec2Mock.on(DescribeInstanceTypesCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    const c = capture();
    const code = await instanceTypesCommand({ makeClient: client }).run(['--live', '--min-enis', '24', '--zone', 'eu-west-1a'], c.io);
    expect(code).toBe(0);
    expect(c.err).toEqual([
      'multinic instance-types: DescribeInstanceTypes: no AWS credentials found. Set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or run where an instance role is available.',
      `multinic instance-types: answering from the snapshot of ${Catalogue.snapshot().meta.date} instead; zone offerings were not checked.`,
    ]);
    expect(c.out.join('\n')).toContain('r8gn.24xlarge');
  });

  test('access denied is an error, not a silent fallback', async () => {
    ec2Mock.on(DescribeInstanceTypesCommand).rejects(Object.assign(new Error('not authorized'), { name: 'UnauthorizedOperation' }));
    const c = capture();
    await expect(instanceTypesCommand({ makeClient: client }).run(['--live'], c.io))
      .rejects.toThrow('DescribeInstanceTypes was denied (UnauthorizedOperation: not authorized). Grant the caller ec2:DescribeInstanceTypes (read-only) or use another profile.');
  });
});

describe('multinic instance-types refresh', () => {
  test('writes a sorted, stable snapshot from DescribeInstanceTypes', async () => {
    // GIVEN the same types in two different orders
    const run = async (order: string[]) => {
      ec2Mock.reset();
      ec2Mock.on(DescribeInstanceTypesCommand).resolves({ InstanceTypes: order.map((n) => ec2Type(n, 3)) });
      const files: Record<string, string> = {};
      const c = capture();
      await instanceTypesCommand({ makeClient: client, writeFile: (f, t) => { files[f] = t; }, today: () => '2026-12-01' })
        .run(['refresh', '--region', 'eu-west-1', '--out', 'snap.ts'], c.io);
      return { text: files['snap.ts'], out: c.out };
    };
    const a = await run(['m6i.large', 'c6in.large']);
    const b = await run(['c6in.large', 'm6i.large']);
    // THEN the files are identical, sorted, and the header names source and date
    expect(a.text).toBe(b.text);
    expect(a.text.indexOf('"c6in.large"')).toBeLessThan(a.text.indexOf('"m6i.large"'));
    expect(a.text).toContain('// Source: EC2 DescribeInstanceTypes, region eu-west-1\n// Date: 2026-12-01\n');
    expect(a.out).toEqual(['wrote snap.ts: 2 instance types from eu-west-1']);
  });
});
