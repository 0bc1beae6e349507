process.env.CDK_VALIDATION = 'false';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { NetworkStack } from '../../infra/network-stack';
import { cdkJsonContext, errorsWith, intentWith, richIntent, expectResource } from './util';

const regionZone = (letter: string) => ({ 'Fn::Join': ['', [{ Ref: 'AWS::Region' }, letter]] });

describe('NetworkStack', () => {
  // GIVEN the rich intent (three secondary subnets, a reservation, an admin CIDR)
  const stack = new NetworkStack(new App({ context: cdkJsonContext() }), 'Net', { intent: richIntent() });
  const t = Template.fromStack(stack);

  test('the VPC has the intent CIDR and flow logs', () => {
    expectResource(t, 'AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16', EnableDnsHostnames: true });
    expectResource(t, 'AWS::EC2::FlowLog', { ResourceType: 'VPC', ResourceId: { Ref: 'Vpc' }, TrafficType: 'ALL' });
  });

  test.each([
    ['NodeSubnetA', '10.0.0.0/20', 'a'],
    ['NodeSubnetB', '10.0.16.0/20', 'b'],
    ['PublicSubnet', '10.0.112.0/20', 'a'],
    ['SubnetMultusA', '10.0.128.0/24', 'a'],
    ['SubnetStorageA', '10.0.129.0/24', 'a'],
    ['SubnetMultusB', '10.0.130.0/24', 'b'],
  ])('%s is %s in zone <region>%s, resolved by letter, with no public IPs on launch', (id, cidr, zone) => {
    const subnets = t.findResources('AWS::EC2::Subnet');
    const key = Object.keys(subnets).find((k) => k.startsWith(id));
    expect(key).toBeTruthy();
    expect(subnets[key!].Properties).toMatchObject({ CidrBlock: cidr, AvailabilityZone: regionZone(zone), MapPublicIpOnLaunch: false });
  });

  test('the delegated prefixes come from prefix reservations sized from the model, clear of the explicit one', () => {
    // GIVEN workers-a: 2 nodes (+1 during a rolling update) x ipv4PrefixCount 2 = 6 /28s in multus-a (pods in .128/25)
    const prefix = Object.values(t.findResources('AWS::EC2::SubnetCidrReservation')).map((r) => r.Properties).filter((p) => p.ReservationType === 'prefix');
    // THEN aligned blocks holding exactly 6 /28s, outside the first /28 and the explicit reservation
    expect(prefix.map((p) => p.Cidr).sort()).toEqual(['10.0.128.32/27', '10.0.128.64/26']);
    for (const p of prefix) expect(p.SubnetId).toEqual({ Ref: stack.getLogicalId(stack.secondarySubnets.get('multus-a')!.subnet) });
    // multus-b's interfaces delegate nothing: no reservation there
    expect(stack.secondarySubnets.get('multus-b')!.prefixReservations).toEqual([]);
  });

  test('the pod reservation is an explicit SubnetCidrReservation of its subnet', () => {
    expect(Object.values(t.findResources('AWS::EC2::SubnetCidrReservation')).filter((r) => r.Properties.ReservationType === 'explicit')).toHaveLength(1);
    expectResource(t, 'AWS::EC2::SubnetCidrReservation', {
      Cidr: '10.0.128.128/25', ReservationType: 'explicit', SubnetId: { Ref: stack.getLogicalId(stack.secondarySubnets.get('multus-a')!.subnet) },
    });
  });

  test('no ingress rule is open to the world', () => {
    const ingress = Object.values(t.findResources('AWS::EC2::SecurityGroupIngress')).map((r) => r.Properties);
    expect(ingress.length).toBeGreaterThan(0);
    for (const rule of ingress) expect(rule.CidrIp).not.toBe('0.0.0.0/0');
    for (const sg of Object.values(t.findResources('AWS::EC2::SecurityGroup'))) expect(sg.Properties.SecurityGroupIngress).toBeUndefined();
  });

  test('the API port is open only to the VPC and the admin CIDR; nodes reach each other on everything', () => {
    const sg = { 'Fn::GetAtt': [stack.getLogicalId(stack.clusterSecurityGroup), 'GroupId'] };
    const onCluster = Object.values(t.findResources('AWS::EC2::SecurityGroupIngress', { Properties: { GroupId: sg } })).map((r) => r.Properties);
    expect(onCluster.map(({ IpProtocol, FromPort, ToPort, CidrIp, SourceSecurityGroupId }) => ({ IpProtocol, FromPort, ToPort, CidrIp, SourceSecurityGroupId }))).toEqual([
      { IpProtocol: '-1', SourceSecurityGroupId: sg, FromPort: undefined, ToPort: undefined, CidrIp: undefined },
      { IpProtocol: 'tcp', FromPort: 6443, ToPort: 6443, CidrIp: '10.0.0.0/16', SourceSecurityGroupId: undefined },
      { IpProtocol: 'tcp', FromPort: 6443, ToPort: 6443, CidrIp: '192.0.2.0/24', SourceSecurityGroupId: undefined },
    ]);
  });

  test('each secondary subnet has its own security group, which admits nothing (for ENIs that carry no network)', () => {
    for (const s of stack.secondarySubnets.values()) {
      const group = { 'Fn::GetAtt': [stack.getLogicalId(s.securityGroup), 'GroupId'] };
      expect(t.findResources('AWS::EC2::SecurityGroupIngress', { Properties: { GroupId: group } })).toEqual({});
    }
    // the rich intent has no networks: no network security group
    expect(stack.networkSecurityGroups.size).toBe(0);
    t.resourceCountIs('AWS::EC2::SecurityGroup', 4);
  });

  test('nodes leave through one NAT gateway; node and secondary subnets use its route table', () => {
    t.resourceCountIs('AWS::EC2::NatGateway', 1);
    expectResource(t, 'AWS::EC2::Route', { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: Match.anyValue() });
    t.resourceCountIs('AWS::EC2::SubnetRouteTableAssociation', 6);
  });

  test('without an admin CIDR only the VPC reaches the API', () => {
    const plain = Template.fromStack(new NetworkStack(new App({ context: cdkJsonContext() }), 'Plain', { intent: intentWith() }));
    const api = Object.values(plain.findResources('AWS::EC2::SecurityGroupIngress', { Properties: { FromPort: 6443 } })).map((r) => r.Properties.CidrIp);
    expect(api).toEqual(['10.0.0.0/16']);
  });
});

describe('NetworkStack network security groups (default intent)', () => {
  // GIVEN the default intent: four ipvlan networks on multus0, all eni-prefix (pod addresses in subnet multus-a), three
  // with ingress rules
  const stack = new NetworkStack(new App({ context: cdkJsonContext() }), 'Net', { intent: intentWith() });
  const t = Template.fromStack(stack);
  const rulesOf = (key: string) => {
    const group = { 'Fn::GetAtt': [stack.getLogicalId(stack.networkSecurityGroups.get(key)!), 'GroupId'] };
    return Object.values(t.findResources('AWS::EC2::SecurityGroupIngress', { Properties: { GroupId: group } }))
      .map(({ Properties: p }) => `${p.IpProtocol} ${p.FromPort}-${p.ToPort} ${p.CidrIp}`).sort();
  };

  test('one security group per network on an ENI', () => {
    expect([...stack.networkSecurityGroups.keys()]).toEqual(['default/ipvlan-conf', 'dcjeon/whereabouts-eth1-conf', 'redhet-demo/ipvlan-whereabouts-net-attach-def', 'redhet-demo/routable-net']);
  });

  test('a network without ingress admits nothing', () => {
    expect(rulesOf('default/ipvlan-conf')).toEqual([]);
  });

  test('the web network admits TCP 80 and ICMP from its own pod addresses only: the ENI subnet its prefixes come from', () => {
    expect(rulesOf('redhet-demo/ipvlan-whereabouts-net-attach-def')).toEqual(['icmp -1--1 10.0.128.0/24', 'tcp 80-80 10.0.128.0/24']);
  });

  test('the ubuntu network admits ICMP from its pod addresses (subnet multus-a)', () => {
    expect(rulesOf('dcjeon/whereabouts-eth1-conf')).toEqual(['icmp -1--1 10.0.128.0/24']);
  });

  test('routable-net admits ICMP from subnet multus-a (the self-test pings across nodes)', () => {
    expect(rulesOf('redhet-demo/routable-net')).toEqual(['icmp -1--1 10.0.128.0/24']);
  });

  test('no rule of any secondary group admits every protocol', () => {
    const secondary = new Set([...stack.networkSecurityGroups.values()].map((g) => stack.getLogicalId(g)));
    const all = Object.values(t.findResources('AWS::EC2::SecurityGroupIngress')).map((r) => r.Properties)
      .filter((p) => secondary.has(p.GroupId['Fn::GetAtt'][0]));
    expect(all.length).toBe(4);
    expect(all.filter((p) => p.IpProtocol === '-1')).toEqual([]);
  });
});

describe('NetworkStack network security groups (the seed\'s Whereabouts ranges)', () => {
  // GIVEN the default intent with its ubuntu and web networks back on the seed's Whereabouts ranges
  const stack = new NetworkStack(new App({ context: cdkJsonContext() }), 'Net', {
    intent: intentWith((raw) => {
      const nets = raw.spec.networks!;
      nets[1].ipam = { type: 'whereabouts', range: '10.4.128.0/24', exclude: ['10.4.128.0/30'] };
      nets[2].ipam = { type: 'whereabouts', range: '10.2.130.0/24' };
    }),
  });
  const t = Template.fromStack(stack);
  const rulesOf = (key: string) => {
    const group = { 'Fn::GetAtt': [stack.getLogicalId(stack.networkSecurityGroups.get(key)!), 'GroupId'] };
    return Object.values(t.findResources('AWS::EC2::SecurityGroupIngress', { Properties: { GroupId: group } }))
      .map(({ Properties: p }) => `${p.IpProtocol} ${p.FromPort}-${p.ToPort} ${p.CidrIp}`).sort();
  };

  test('the web network admits TCP 80 and ICMP from its own pod range only, exactly', () => {
    expect(rulesOf('redhet-demo/ipvlan-whereabouts-net-attach-def')).toEqual(['icmp -1--1 10.2.130.0/24', 'tcp 80-80 10.2.130.0/24']);
  });

  test('the ubuntu network admits ICMP from its whereabouts range without the excluded /30', () => {
    expect(rulesOf('dcjeon/whereabouts-eth1-conf')).toEqual([
      'icmp -1--1 10.4.128.128/25', 'icmp -1--1 10.4.128.16/28', 'icmp -1--1 10.4.128.32/27', 'icmp -1--1 10.4.128.4/30', 'icmp -1--1 10.4.128.64/26', 'icmp -1--1 10.4.128.8/29',
    ]);
  });
});

describe('what the network stack once refused is a finding of validate, with a place', () => {
  test.each([
    ['a subnet outside the VPC', (r: any) => { r.spec.subnets[0].cidr = '10.1.0.0/24'; }, 'multinic:SubnetOutsideVpc', 'spec.subnets[0].cidr'],
    ['a subnet over the node subnets', (r: any) => { r.spec.subnets[0].cidr = '10.0.16.0/24'; }, 'multinic:SubnetOutsideVpc', 'spec.subnets[0].cidr'],
    ['a zone the VPC does not have', (r: any) => { r.spec.subnets[0].zone = 'c'; }, 'multinic:UnknownZone', 'spec.subnets[0].zone'],
    ['more prefixes than the subnet holds', (r: any) => { r.spec.nodeGroups[1].count = 40; }, 'multinic:PrefixReservation', 'spec.subnets[0].cidr'],
    ['a reservation outside its subnet', (r: any) => { r.spec.subnets[0].podCidrReservation = '10.0.200.0/25'; }, 'multinic:SubnetOutsideVpc', 'spec.subnets[0].podCidrReservation'],
    ['an admin CIDR open to the world', (r: any) => { r.spec.cluster.adminCidr = '0.0.0.0/0'; }, 'multinic:AdminCidrOpen', 'spec.cluster.adminCidr'],
    ['a VPC too small to lay out', (r: any) => { r.spec.vpc.cidr = '10.0.0.0/26'; r.spec.subnets = []; r.spec.nodeGroups[1].interfaces = []; }, 'multinic:VpcSize', 'spec.vpc.cidr'],
  ])('%s', (_what, mutate, id, path) => {
    // GIVEN an intent with one mistake, WHEN it is validated, THEN the rule names the place (line and column too)
    const errors = errorsWith(mutate);
    expect(errors.map((f) => `${f.id} ${f.path}`)).toContain(`${id} ${path}`);
    expect(errors.find((f) => f.id === id)?.line).toBeGreaterThan(0);
  });
});
