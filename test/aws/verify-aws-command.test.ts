import { DescribeInstancesCommand, DescribeNetworkInterfacesCommand, DescribeSubnetsCommand, EC2Client, type NetworkInterface } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { clusterFromStack, runVerifyAws } from '../../bin/commands/private/verify-aws';
import { CLUSTER, matchingFleet, MULTUS_SUBNET, NODE_SUBNET, writeIntent } from '../verify/fixtures';

const ec2Mock = mockClient(EC2Client);
beforeEach(() => ec2Mock.reset());

const intentFile = writeIntent();
/** stdout, stderr lines, and what a terminal on stderr was sent (progress), unless `tty` is false. */
function capture(tty = true) {
  const out: string[] = [];
  const err: string[] = [];
  const status: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), ...(tty ? { status: { write: (t: string) => status.push(t) } } : {}) }, out, err, status };
}
/** The progress lines a terminal showed, in order. */
const shown = (c: ReturnType<typeof capture>) => c.status.join('').split(/\r\x1b\[2K|\n/).filter(Boolean);
const regions: Array<string | undefined> = [];
const deps = { makeClient: (region: string | undefined) => { regions.push(region); return new EC2Client({ region: region ?? 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } }); } };
const awsError = (name: string, message = name) => Object.assign(new Error(message), { name, $metadata: {} });

/** Mocks EC2 with the matching fleet after `edit` changed the second worker's secondary ENI. */
function fleet(edit: (eni: NetworkInterface) => NetworkInterface = (e) => e) {
  const { instances, enis } = matchingFleet();
  ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: instances }] });
  ec2Mock.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: enis.map((e) => (e.NetworkInterfaceId === 'eni-0003-1' ? edit(e) : e)) });
  ec2Mock.on(DescribeSubnetsCommand).resolves({ Subnets: [MULTUS_SUBNET, NODE_SUBNET, { SubnetId: 'subnet-other', CidrBlock: '10.0.129.0/24' }] });
}

/** The table rows (not header, not summary) that are not OK. */
const problemLines = (out: string[]) => out.join('\n').split('\n').slice(1).filter((l) => l && !/\sOK$/.test(l) && !/checks/.test(l));

describe('multinic verify --aws', () => {
  test('a matching fleet: exit 0, a table with every check OK and the progress on stderr', async () => {
    // GIVEN EC2 reporting the fleet the intent describes
    fleet();
    const c = capture();
    // WHEN verified
    const code = await runVerifyAws(['--aws', '-i', intentFile, '--region', 'eu-west-1'], c.io, deps);
    // THEN exit 0, the header has the columns, 2 group counts + 2 workers x 4 checks, all OK
    expect(code).toBe(0);
    const lines = c.out.join('\n').split('\n');
    expect(lines[0]).toMatch(/^NODE\s+GROUP\s+DEVICE\s+CHECK\s+EXPECTED\s+OBSERVED\s+STATUS$/);
    expect(lines.filter((l) => /\sOK$/.test(l))).toHaveLength(10);
    expect(lines.at(-1)).toBe('10 checks, all as intended.');
    expect(regions.at(-1)).toBe('eu-west-1');
    expect(shown(c)).toContain('multinic verify --aws: DescribeNetworkInterfaces: page 1, 5 so far');
    // AND it looked for the intent's cluster name
    expect(ec2Mock.commandCalls(DescribeInstancesCommand)[0].args[0].input.Filters?.[0]).toEqual({ Name: 'tag:multinic.dev/cluster', Values: [CLUSTER] });
  });

  test.each<[string, (e: NetworkInterface) => NetworkInterface, RegExp[]]>([
    ['wrong device index', (e) => ({ ...e, Attachment: { ...e.Attachment, DeviceIndex: 2 } }),
      [/^i-0003 \(10\.0\.0\.12\)\s+workers\s+1 multus0\s+ENI\s+ENI in multus-a\s+\(no ENI at this device index\)\s+MISSING$/, /^i-0003 .*\s+2\s+ENI\s+\(none\)\s+eni-0003-1 in subnet-multus 10\.0\.128\.0\/24\s+UNEXPECTED$/]],
    ['wrong subnet', (e) => ({ ...e, SubnetId: 'subnet-other' }),
      [/^i-0003 .*\s+1 multus0\s+subnet\s+multus-a 10\.0\.128\.0\/24\s+subnet-other 10\.0\.129\.0\/24\s+DRIFT$/]],
    ['a missing prefix', (e) => ({ ...e, Ipv4Prefixes: e.Ipv4Prefixes?.slice(0, 1) }),
      [/^i-0003 .*\s+1 multus0\s+ipv4 prefixes\s+2\s+1 \(10\.0\.128\.96\/28\)\s+MISSING$/]],
    ['a missing tag', (e) => ({ ...e, TagSet: [] }),
      [/^i-0003 .*\s+tag node\.k8s\.amazonaws\.com\/no_manage\s+true\s+\(absent\)\s+MISSING$/]],
    ['the source/dest check on', (e) => ({ ...e, SourceDestCheck: true }),
      [/^i-0003 .*\s+source\/dest check\s+off\s+on\s+DRIFT$/]],
  ])('%s: exit 1 and exactly that row differs', async (_what, edit, expected) => {
    fleet(edit);
    const c = capture();
    const code = await runVerifyAws(['-i', intentFile], c.io, deps);
    expect(code).toBe(1);
    const bad = problemLines(c.out);
    expect(bad).toHaveLength(expected.length);
    expected.forEach((re, k) => expect(bad[k]).toMatch(re));
    expect(c.out.join('\n')).toMatch(new RegExp(`${expected.length} of \\d+ checks differ from the intent\\.$`));
  });

  test('--problems-only prints only the rows that differ; --json prints the report', async () => {
    fleet((e) => ({ ...e, TagSet: [] }));
    const c = capture();
    expect(await runVerifyAws(['-i', intentFile, '--problems-only'], c.io, deps)).toBe(1);
    expect(c.out.join('\n').split('\n').filter((l) => l.startsWith('i-') || l.startsWith('group'))).toHaveLength(1);
    const j = capture();
    expect(await runVerifyAws(['-i', intentFile, '--json'], j.io, deps)).toBe(1);
    const rep = JSON.parse(j.out.join('\n'));
    expect([rep.ok, rep.problems]).toEqual([9, 1]);
    expect(rep.rows.find((r: { status: string }) => r.status !== 'ok')).toMatchObject({ subject: 'i-0003 (10.0.0.12)', status: 'missing' });
  });

  test('paging through many ENIs shows progress per page on a terminal, and nothing in a pipe or with --json', async () => {
    const { instances, enis } = matchingFleet();
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: instances }] });
    ec2Mock.on(DescribeNetworkInterfacesCommand)
      .resolvesOnce({ NetworkInterfaces: enis.slice(0, 3), NextToken: 'next' })
      .resolvesOnce({ NetworkInterfaces: enis.slice(3) });
    ec2Mock.on(DescribeSubnetsCommand).resolves({ Subnets: [MULTUS_SUBNET, NODE_SUBNET] });
    const c = capture();
    expect(await runVerifyAws(['-i', intentFile], c.io, deps)).toBe(0);
    expect(shown(c).filter((l) => l.includes('DescribeNetworkInterfaces'))).toEqual([
      'multinic verify --aws: DescribeNetworkInterfaces: page 1, 3 so far',
      'multinic verify --aws: DescribeNetworkInterfaces: page 2, 5 so far',
    ]);
    expect(c.status.join('').endsWith('\r\x1b[2K')).toBe(true); // the status line is cleared before the table
    expect(c.err).toEqual([]);
    for (const [args, tty] of [[[], false], [['--json'], true]] as const) {
      ec2Mock.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: enis });
      const q = capture(tty);
      expect(await runVerifyAws(['-i', intentFile, ...args], q.io, deps)).toBe(0);
      expect([q.status, q.err]).toEqual([[], []]);
    }
  });

  test.each([
    ['UnauthorizedOperation', awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.'),
      'multinic verify --aws: DescribeInstances was denied (UnauthorizedOperation: You are not authorized to perform this operation.). Grant the caller ec2:DescribeInstances (read-only) or use another profile.'],
    ['AccessDenied', awsError('AccessDenied', 'User is not allowed'),
      'multinic verify --aws: DescribeInstances was denied (AccessDenied: User is not allowed). Grant the caller ec2:DescribeInstances (read-only) or use another profile.'],
    ['no credentials', awsError('CredentialsProviderError', 'Could not load credentials from any providers'),
      'multinic verify --aws: DescribeInstances: no AWS credentials found. Set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or run where an instance role is available.'],
    ['no region', new Error('Region is missing'), 'multinic verify --aws: DescribeInstances: no AWS region. Pass --region (e.g. --region us-east-1) or set AWS_REGION.'],
  ])('%s: exit 1 with one clear line, no table', async (_what, error, message) => {
    ec2Mock.on(DescribeInstancesCommand).rejects(error);
    const c = capture();
    expect(await runVerifyAws(['-i', intentFile], c.io, deps)).toBe(1);
    expect(c.err).toEqual([message]);
    expect(c.out).toEqual([]);
  });

  test('no instance of the cluster: says so and reports every group missing', async () => {
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    const c = capture();
    expect(await runVerifyAws(['-i', intentFile, '--stack', 'multinic-other-cluster', '--region', 'eu-west-1'], c.io, deps)).toBe(1);
    expect(c.err.at(-1)).toBe('multinic verify --aws: no running instance is tagged multinic.dev/cluster=other in eu-west-1; is the cluster deployed there?');
    expect(ec2Mock.commandCalls(DescribeInstancesCommand)[0].args[0].input.Filters?.[0].Values).toEqual(['other']);
    expect(problemLines(c.out)).toHaveLength(2);
  });

  test.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['extra'], /unexpected argument "extra"/],
    [['--stack', 'Not_A_Name'], /--stack "Not_A_Name" is neither a cluster name nor a stack name/],
  ])('usage error %j: exit 2 with the usage', async (args, message) => {
    const c = capture();
    expect(await runVerifyAws(['-i', intentFile, ...args], c.io, deps)).toBe(2);
    expect(c.err.join('\n')).toMatch(message);
    expect(c.err.join('\n')).toContain('Usage: multinic verify --aws');
    expect(ec2Mock.commandCalls(DescribeInstancesCommand)).toHaveLength(0);
  });

  test('an intent with errors is not verified: exit 1 and the findings', async () => {
    const bad = writeIntent((i) => { i.spec.nodeGroups[1].interfaces![0].subnet = 'nowhere'; });
    const c = capture();
    expect(await runVerifyAws(['-i', bad], c.io, deps)).toBe(1);
    expect(c.err.join('\n')).toMatch(/has errors \(see above\); fix them with `multinic validate` before verifying\./);
    expect(c.err.join('\n')).toMatch(/nowhere/);
    expect(ec2Mock.commandCalls(DescribeInstancesCommand)).toHaveLength(0);
  });

  test.each([
    ['multinic-seed-lab-cluster', 'seed-lab'], ['multinic-seed-lab-network', 'seed-lab'], ['seed-lab', 'seed-lab'],
  ])('clusterFromStack(%s) = %s', (stack, name) => {
    expect(clusterFromStack(stack)).toBe(name);
  });

});
