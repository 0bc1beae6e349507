/**
 * Pure look-ups over an instance-type catalogue: the embedded snapshot by default, or records fetched live.
 */
import { INSTANCE_TYPES, SNAPSHOT_META } from './instance-types.generated';
import type { Architecture, CatalogueMeta, InstanceTypeInfo } from './instance-type-info';
import { closest } from './private/did-you-mean';

export type { Architecture, CatalogueMeta, EnaSupport, Hypervisor, InstanceTypeInfo } from './instance-type-info';

/** A set of instance types with where they came from. */
export class Catalogue {
  /** The snapshot embedded in the package (`instance-types.generated.ts`). */
  public static snapshot(): Catalogue { return SNAPSHOT; }

  private readonly byName: ReadonlyMap<string, InstanceTypeInfo>;
  public readonly names: readonly string[];

  constructor(public readonly types: readonly InstanceTypeInfo[], public readonly meta: CatalogueMeta) {
    this.byName = new Map(types.map((t) => [t.name, t]));
    this.names = types.map((t) => t.name);
  }

  /** The record for `name` (exact, case-insensitive), or undefined. */
  public get(name: string): InstanceTypeInfo | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /** The closest known name, for "did you mean" messages. */
  public suggest(name: string): string | undefined {
    return closest(name, this.names);
  }
}

const SNAPSHOT = new Catalogue(INSTANCE_TYPES, SNAPSHOT_META);

/** The snapshot's record for `name`, or undefined. */
export function instanceTypeInfo(name: string, catalogue: Catalogue = SNAPSHOT): InstanceTypeInfo | undefined {
  return catalogue.get(name);
}

/** What a node group asks of its instance type. */
export interface InterfaceDemand {
  /** Secondary ENIs (the primary is counted on top). */
  readonly secondaryInterfaces: number;
  /** Address slots each secondary ENI needs: 1 for its primary IPv4, plus its prefixes and secondary addresses. */
  readonly slotsPerInterface?: readonly number[];
}

/** Why a type does not fit a demand; empty when it fits. */
export interface FitProblem {
  readonly kind: 'enis' | 'slots';
  /** Secondary interface index (0-based) for `slots`. */
  readonly interfaceIndex?: number;
  readonly needed: number;
  readonly available: number;
}

/**
 * Checks that the primary ENI plus `secondaryInterfaces` fit on the default network card and that each ENI's
 * address slots cover what it asks for.
 */
export function fitsInterfaces(info: InstanceTypeInfo, demand: InterfaceDemand): FitProblem[] {
  const problems: FitProblem[] = [];
  const enis = 1 + demand.secondaryInterfaces;
  if (enis > info.maxEnisDefaultCard) problems.push({ kind: 'enis', needed: enis, available: info.maxEnisDefaultCard });
  (demand.slotsPerInterface ?? []).forEach((slots, i) => {
    if (slots > info.ipv4PerEni) problems.push({ kind: 'slots', interfaceIndex: i, needed: slots, available: info.ipv4PerEni });
  });
  return problems;
}

/** Filters for `multinic instance-types`. */
export interface TypeFilter {
  /** At least this many ENIs on the default card (the primary included). */
  readonly minEnis?: number;
  /** `required`: only types that require ENA; `supported`: required or supported. */
  readonly ena?: 'required' | 'supported';
  readonly efa?: boolean;
  readonly arch?: Architecture;
  /** Only types in this set (e.g. offered in a zone). */
  readonly offered?: ReadonlySet<string>;
}

/** The catalogue's types that match every filter, in name order. */
export function filterTypes(types: readonly InstanceTypeInfo[], f: TypeFilter): InstanceTypeInfo[] {
  return types.filter((t) =>
    (f.minEnis === undefined || t.maxEnisDefaultCard >= f.minEnis)
    && (f.ena === undefined || (f.ena === 'required' ? t.ena === 'required' : t.ena !== 'unsupported'))
    && (!f.efa || t.efa)
    && (f.arch === undefined || t.architectures.includes(f.arch))
    && (f.offered === undefined || f.offered.has(t.name)));
}
