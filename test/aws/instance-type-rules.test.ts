import { networkIntentSchema } from '../../lib/intent/schema';
import type { NetworkIntent, NetworkIntentInput } from '../../lib/intent/types';
import { checkInstanceTypes, INSTANCE_TYPE_RULES } from '../../lib/aws/instance-type-rules';

/** A valid intent whose node groups are replaced by `nodeGroups`. */
function intentWith(nodeGroups: NetworkIntentInput['spec']['nodeGroups']): NetworkIntent {
  return networkIntentSchema.parse({
    apiVersion: 'multinic.dev/v1alpha1',
    kind: 'NetworkIntent',
    metadata: { name: 'rules' },
    spec: {
      cluster: { kubernetesVersion: '1.36.5', podCidr: '172.16.0.0/16', serviceCidr: '10.96.0.0/12', primaryCni: 'calico' },
      vpc: { cidr: '10.0.0.0/16', zones: ['a'] },
      subnets: [{ name: 'multus-a', cidr: '10.0.128.0/24', zone: 'a' }],
      nodeGroups,
    },
  });
}
const iface = (name: string, ipv4PrefixCount = 0) => ({ name, subnet: 'multus-a', ipv4PrefixCount });
const cp = { name: 'control-plane', role: 'control-plane' as const, instanceType: 'm6i.large', count: 1 };
const workers = (instanceType: string, interfaces: ReturnType<typeof iface>[]) => ({ name: 'workers', role: 'worker' as const, instanceType, count: 2, interfaces });

describe('instance-type rules', () => {
  test('every rule has an id, a summary, a why and a fix', () => {
    for (const r of INSTANCE_TYPE_RULES) {
      expect(r.id).toMatch(/^multinic:[A-Z][A-Za-z]+$/);
      expect([r.summary, r.why, r.fix].every((s) => s.length > 10)).toBe(true);
    }
  });

  test('a fitting intent has no findings', () => {
    // GIVEN m6i.large (3 ENIs, 10 IPv4 per ENI) with 2 secondary ENIs and 9 prefixes WHEN checked THEN nothing is found
    expect(checkInstanceTypes(intentWith([cp, workers('m6i.large', [iface('multus0', 9), iface('multus1')])]))).toEqual([]);
  });

  test.each([
    ['unknown type with a suggestion', workers('m6i.larg', [iface('multus0')]), [{
      id: 'multinic:UnknownInstanceType',
      path: 'spec.nodeGroups[1].instanceType',
      message: 'spec.nodeGroups[1].instanceType: unknown instance type "m6i.larg"; did you mean "m6i.large"? (1022 types in the aws/amazon-vpc-cni-k8s pkg/vpc/vpc_ip_resource_limit.go snapshot of 2026-11-29)',
      fix: 'Set instanceType to "m6i.large", or use a type listed by `multinic instance-types`; if the type is newer than the snapshot, run `multinic instance-types refresh`.',
    }]],
    ['no ENA with secondary interfaces', workers('t2.large', [iface('multus0')]), [{
      id: 'multinic:InstanceTypeNotEnaCapable',
      path: 'spec.nodeGroups[1].instanceType',
      message: 'spec.nodeGroups[1].instanceType: instance type "t2.large" has no ENA support, but node group "workers" asks for 1 secondary interface(s)',
      fix: 'Pick a Nitro type (ENA required), e.g. m6i, c6in, m7i: `multinic instance-types --ena required --min-enis N`.',
    }]],
    ['more ENIs than the default card allows', workers('m6i.large', [iface('a'), iface('b'), iface('c')]), [{
      id: 'multinic:TooManyInterfaces',
      path: 'spec.nodeGroups[1].interfaces',
      message: 'spec.nodeGroups[1].interfaces: node group "workers" needs 4 ENIs (1 primary + 3 secondary) but m6i.large allows 3 on network card 0',
      fix: 'Use at most 2 secondary interface(s) on m6i.large, or a type with at least 4 ENIs (`multinic instance-types --min-enis 4`).',
    }]],
    ['more prefixes than address slots', workers('m6i.large', [iface('multus0', 10)]), [{
      id: 'multinic:TooManyAddressesPerInterface',
      path: 'spec.nodeGroups[1].interfaces[0].ipv4PrefixCount',
      message: 'spec.nodeGroups[1].interfaces[0].ipv4PrefixCount: interface "multus0" needs 11 address slots (1 primary address + 10 prefixes) but each ENI of m6i.large has 10',
      fix: 'Set ipv4PrefixCount to at most 9, or choose a type with more IPv4 addresses per ENI.',
    }]],
    ['prefixes on a Xen type', workers('m4.16xlarge', [iface('multus0', 2)]), [{
      id: 'multinic:PrefixNeedsNitro',
      path: 'spec.nodeGroups[1].interfaces[0].ipv4PrefixCount',
      message: 'spec.nodeGroups[1].interfaces[0].ipv4PrefixCount: interface "multus0" asks for 2 IPv4 prefix(es) but m4.16xlarge is not a Nitro type (hypervisor xen); prefix delegation needs Nitro',
      fix: 'Choose a Nitro type, or set ipv4PrefixCount to 0 and assign secondary addresses instead.',
    }]],
  ])('%s', (_title, group, expected) => {
    // GIVEN an intent whose worker group breaks one rule WHEN checked THEN exactly that finding is reported
    const findings = checkInstanceTypes(intentWith([cp, group]));
    expect(findings).toEqual(expected.map((e) => ({ level: 'error', ...e })));
  });

  test('an unknown type with nothing close gets no suggestion and no other findings', () => {
    const [f, ...rest] = checkInstanceTypes(intentWith([cp, workers('quantum.galactic', [iface('a'), iface('b'), iface('c'), iface('d')])]));
    expect(f.message).toBe('spec.nodeGroups[1].instanceType: unknown instance type "quantum.galactic" (1022 types in the aws/amazon-vpc-cni-k8s pkg/vpc/vpc_ip_resource_limit.go snapshot of 2026-11-29)');
    expect(rest).toEqual([]);
  });

  test('a Xen type without secondary interfaces is fine', () => {
    expect(checkInstanceTypes(intentWith([cp, workers('t2.large', [])]))).toEqual([]);
  });
});
