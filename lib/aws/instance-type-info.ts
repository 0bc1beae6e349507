/**
 * The network facts of one EC2 instance type, in the shape both the embedded snapshot
 * (`instance-types.generated.ts`) and the live DescribeInstanceTypes path produce.
 */
export type Hypervisor = 'nitro' | 'xen' | 'unknown';
export type EnaSupport = 'required' | 'supported' | 'unsupported';
export type Architecture = 'arm64' | 'arm64_mac' | 'i386' | 'x86_64' | 'x86_64_mac';

export interface InstanceTypeInfo {
  /** e.g. `m6i.large`. */
  readonly name: string;
  /** `unknown` when the source gives none (bare metal, some previous-generation types). */
  readonly hypervisor: Hypervisor;
  readonly bareMetal: boolean;
  /** Nitro system: hypervisor `nitro`, or bare metal. Prefix delegation needs it. */
  readonly nitro: boolean;
  /** Index of the card the primary ENI goes on. */
  readonly defaultNetworkCardIndex: number;
  /** Maximum ENIs per network card, indexed by card index. */
  readonly enisPerCard: readonly number[];
  /** Maximum ENIs on the default card: where multinic places the primary and every secondary ENI. */
  readonly maxEnisDefaultCard: number;
  /** Maximum ENIs over all cards (DescribeInstanceTypes `MaximumNetworkInterfaces`). */
  readonly maxEnis: number;
  /** Private IPv4 address slots per ENI; the primary address takes one, each /28 prefix takes one. */
  readonly ipv4PerEni: number;
  readonly ena: EnaSupport;
  readonly efa: boolean;
  /** Sorted. */
  readonly architectures: readonly Architecture[];
  /** e.g. `Up to 12.5 Gigabit`; null when the source does not record it. */
  readonly networkPerformance: string | null;
}

/** Where a catalogue came from, printed in the generated header and by `multinic instance-types`. */
export interface CatalogueMeta {
  readonly source: string;
  readonly date: string;
  readonly count: number;
}

/** The family part of a type name: `c7gn` for `c7gn.16xlarge`. */
export function familyOf(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 ? name : name.slice(0, dot);
}
