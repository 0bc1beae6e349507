/**
 * Validation rules that need instance-type facts. Each is a pure function of the intent and a catalogue
 * (the embedded snapshot unless `instanceTypeRules(catalogue)` is given live records).
 * A type the catalogue does not know is reported once (UnknownInstanceType); the other rules skip it.
 */
import type { NetworkIntent } from '../intent/types';
import { findingAt, type Finding, type InstanceTypeRule } from './finding';
import { Catalogue } from './instance-types';

const ng = (i: number): string => `spec.nodeGroups[${i}]`;

/** Address slots one secondary ENI uses: its primary IPv4, plus one per /28 prefix. */
export function slotsFor(iface: { readonly ipv4PrefixCount?: number }): number {
  return 1 + (iface.ipv4PrefixCount ?? 0);
}

export function instanceTypeRules(catalogue: Catalogue = Catalogue.snapshot()): InstanceTypeRule[] {
  const src = `${catalogue.meta.source.split(' @ ')[0]} snapshot of ${catalogue.meta.date}`;

  const unknown: InstanceTypeRule = {
    id: 'multinic:UnknownInstanceType',
    level: 'error',
    summary: 'A node group names an instance type that the instance-type catalogue does not know.',
    why: 'A misspelt or retired type fails only at deploy time, after the VPC and subnets are created.',
    fix: 'Use a type listed by `multinic instance-types`; if the type is newer than the snapshot, run `multinic instance-types refresh`.',
    check(intent: NetworkIntent): Finding[] {
      return intent.spec.nodeGroups.flatMap((g, i) => {
        if (catalogue.get(g.instanceType)) return [];
        const hint = catalogue.suggest(g.instanceType);
        return [findingAt(this, `${ng(i)}.instanceType`,
          `unknown instance type "${g.instanceType}"${hint ? `; did you mean "${hint}"?` : ''} (${catalogue.meta.count} types in the ${src})`,
          hint ? `Set instanceType to "${hint}", or ${this.fix.charAt(0).toLowerCase()}${this.fix.slice(1)}` : this.fix)];
      });
    },
  };

  const ena: InstanceTypeRule = {
    id: 'multinic:InstanceTypeNotEnaCapable',
    level: 'error',
    summary: 'A node group with secondary ENIs uses an instance type without ENA (enhanced networking).',
    why: 'Multi-NIC pods (ipvlan, host-device, DPDK) need SR-IOV through ENA; without it the extra interfaces are slow or unusable.',
    fix: 'Pick a Nitro type (ENA required), e.g. m6i, c6in, m7i: `multinic instance-types --ena required --min-enis N`.',
    check(intent: NetworkIntent): Finding[] {
      return intent.spec.nodeGroups.flatMap((g, i) => {
        const t = catalogue.get(g.instanceType);
        if (!t || g.interfaces.length === 0 || t.ena !== 'unsupported') return [];
        return [findingAt(this, `${ng(i)}.instanceType`,
          `instance type "${t.name}" has no ENA support, but node group "${g.name}" asks for ${g.interfaces.length} secondary interface(s)`)];
      });
    },
  };

  const enis: InstanceTypeRule = {
    id: 'multinic:TooManyInterfaces',
    level: 'error',
    summary: 'A node group asks for more ENIs than its instance type can attach on the default network card.',
    why: 'The launch template fails with "The maximum number of network interfaces has been reached"; no node starts.',
    fix: 'Remove interfaces or choose a larger type: `multinic instance-types --min-enis N`.',
    check(intent: NetworkIntent): Finding[] {
      return intent.spec.nodeGroups.flatMap((g, i) => {
        const t = catalogue.get(g.instanceType);
        const needed = 1 + g.interfaces.length;
        if (!t || needed <= t.maxEnisDefaultCard) return [];
        return [findingAt(this, `${ng(i)}.interfaces`,
          `node group "${g.name}" needs ${needed} ENIs (1 primary + ${g.interfaces.length} secondary) but ${t.name} allows ${t.maxEnisDefaultCard} on network card ${t.defaultNetworkCardIndex}`,
          `Use at most ${t.maxEnisDefaultCard - 1} secondary interface(s) on ${t.name}, or a type with at least ${needed} ENIs (\`multinic instance-types --min-enis ${needed}\`).`)];
      });
    },
  };

  const slots: InstanceTypeRule = {
    id: 'multinic:TooManyAddressesPerInterface',
    level: 'error',
    summary: 'A secondary interface asks for more IPv4 prefixes than its ENI has address slots.',
    why: 'Each ENI has a fixed number of private IPv4 slots; its primary address takes one and each /28 prefix takes one. EC2 rejects the rest.',
    fix: 'Lower ipv4PrefixCount, or choose a type with more IPv4 addresses per ENI.',
    check(intent: NetworkIntent): Finding[] {
      return intent.spec.nodeGroups.flatMap((g, i) => {
        const t = catalogue.get(g.instanceType);
        if (!t) return [];
        return g.interfaces.flatMap((iface, j) => {
          const need = slotsFor(iface);
          if (need <= t.ipv4PerEni) return [];
          return [findingAt(this, `${ng(i)}.interfaces[${j}].ipv4PrefixCount`,
            `interface "${iface.name}" needs ${need} address slots (1 primary address + ${iface.ipv4PrefixCount} prefixes) but each ENI of ${t.name} has ${t.ipv4PerEni}`,
            `Set ipv4PrefixCount to at most ${t.ipv4PerEni - 1}, or choose a type with more IPv4 addresses per ENI.`)];
        });
      });
    },
  };

  const nitro: InstanceTypeRule = {
    id: 'multinic:PrefixNeedsNitro',
    level: 'error',
    summary: 'A secondary interface asks for IPv4 prefixes on an instance type that is not on the Nitro system.',
    why: 'EC2 prefix delegation works on Nitro instances only; the ENI creation fails on Xen types.',
    fix: 'Choose a Nitro type, or set ipv4PrefixCount to 0 and assign secondary addresses instead.',
    check(intent: NetworkIntent): Finding[] {
      return intent.spec.nodeGroups.flatMap((g, i) => {
        const t = catalogue.get(g.instanceType);
        if (!t || t.nitro) return [];
        return g.interfaces.flatMap((iface, j) => (iface.ipv4PrefixCount ?? 0) === 0 ? [] : [findingAt(this,
          `${ng(i)}.interfaces[${j}].ipv4PrefixCount`,
          `interface "${iface.name}" asks for ${iface.ipv4PrefixCount} IPv4 prefix(es) but ${t.name} is not a Nitro type (hypervisor ${t.hypervisor}); prefix delegation needs Nitro`)]);
      });
    },
  };

  return [unknown, ena, enis, slots, nitro];
}

/** The rules over the embedded snapshot, in reporting order. */
export const INSTANCE_TYPE_RULES: readonly InstanceTypeRule[] = instanceTypeRules();

/** Runs every instance-type rule. */
export function checkInstanceTypes(intent: NetworkIntent, catalogue?: Catalogue): Finding[] {
  return (catalogue ? instanceTypeRules(catalogue) : INSTANCE_TYPE_RULES).flatMap((r) => r.check(intent));
}
