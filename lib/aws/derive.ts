/**
 * Facts the VPC CNI limits table does not carry, derived by documented rules (docs/instance-types.md,
 * "Derived fields"). The live path (DescribeInstanceTypes) never uses these: it reads the API's own fields.
 */
import { familyOf, type Architecture, type EnaSupport, type Hypervisor } from './instance-type-info';

/**
 * Xen / non-Nitro families without ENA. EC2 enhanced-networking guide: ENA on current generation except C4, D2 and
 * M4 smaller than 16xlarge (those use the Intel 82599 VF), T2 has no enhanced networking; previous-generation
 * families (C1, C3, CR1, HS1, I2, M1, M2, M3, R3, T1) predate ENA.
 */
export const NO_ENA_FAMILIES: readonly string[] = ['c1', 'c3', 'c4', 'cr1', 'd2', 'hs1', 'i2', 'm1', 'm2', 'm3', 'r3', 't1', 't2'];

/** ENA: required on Nitro (virtualized or bare metal); supported on the remaining Xen types except the list above. */
export function deriveEna(name: string, hypervisor: Hypervisor, bareMetal: boolean): EnaSupport {
  if (hypervisor === 'nitro' || bareMetal) return 'required';
  const family = familyOf(name);
  if (NO_ENA_FAMILIES.includes(family)) return 'unsupported';
  if (family === 'm4') return name === 'm4.16xlarge' ? 'supported' : 'unsupported';
  return 'supported';
}

/**
 * Architecture from the family name: Graviton families have a `g` right after the generation digit (a1 is the
 * first Graviton); mac1 is Intel, later mac families are Apple silicon; everything else is x86_64.
 * Checked against eksctl's CPUArch column for every family that file lists.
 */
export function deriveArchitectures(name: string): Architecture[] {
  const family = familyOf(name);
  if (family === 'mac1') return ['x86_64_mac'];
  if (family.startsWith('mac')) return ['arm64_mac'];
  if (family === 'a1' || /^[a-z]+\d+g/.test(family)) return ['arm64'];
  return ['x86_64'];
}
