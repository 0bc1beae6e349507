/**
 * IPv4 value types: parsed once, compared numerically, printed canonically. Parsing is done by `ip-address`
 * (maintained, rejects bad octets); this file only adds the value semantics multinic needs (ranges, overlap).
 */
import { Address4 } from 'ip-address';
import { MultinicError } from '../errors';
import { tryParseIp } from './ip';

const DOTTED = /^\d{1,3}(\.\d{1,3}){3}$/;

/** One IPv4 address. */
export class Ipv4Address {
  /** Parses a dotted quad; throws `MultinicError('INVALID_IP')` with the reason. */
  public static parse(text: string): Ipv4Address {
    const r = Ipv4Address.tryParse(text);
    if (typeof r === 'string') throw new MultinicError('INVALID_IP', r);
    return r;
  }

  /** Parses a dotted quad, or returns why it is not one. */
  public static tryParse(text: string): Ipv4Address | string {
    const ip = typeof text === 'string' && DOTTED.test(text) ? tryParseIp(text) : undefined;
    if (ip?.family !== 4) {
      return `"${text}" is not an IPv4 address (expected four numbers 0-255 separated by dots, e.g. 10.0.0.1)`;
    }
    return new Ipv4Address(ip.value);
  }

  public static fromBigInt(value: bigint): Ipv4Address {
    return new Ipv4Address(value);
  }

  private constructor(public readonly value: bigint) {}

  public plus(n: number | bigint): Ipv4Address {
    return new Ipv4Address(this.value + BigInt(n));
  }

  public compare(other: Ipv4Address): number {
    return this.value < other.value ? -1 : this.value > other.value ? 1 : 0;
  }

  public equals(other: Ipv4Address): boolean {
    return this.value === other.value;
  }

  public toString(): string {
    return Address4.fromBigInt(this.value).address;
  }
}

/** An inclusive range of addresses, `start` to `end`. */
export class Ipv4Range {
  constructor(public readonly start: Ipv4Address, public readonly end: Ipv4Address) {}

  public get size(): bigint {
    return this.end.value >= this.start.value ? this.end.value - this.start.value + 1n : 0n;
  }

  public contains(ip: Ipv4Address): boolean {
    return ip.value >= this.start.value && ip.value <= this.end.value;
  }

  public containsRange(other: Ipv4Range): boolean {
    return other.start.value >= this.start.value && other.end.value <= this.end.value;
  }

  public overlaps(other: Ipv4Range): boolean {
    return this.start.value <= other.end.value && other.start.value <= this.end.value;
  }

  public toString(): string {
    return `${this.start}-${this.end}`;
  }
}

/** A CIDR block whose host bits are zero. */
export class Ipv4Cidr {
  /** Parses `a.b.c.d/n`; throws `MultinicError('INVALID_CIDR')` with the reason. */
  public static parse(text: string): Ipv4Cidr {
    const r = Ipv4Cidr.tryParse(text);
    if (typeof r === 'string') throw new MultinicError('INVALID_CIDR', r);
    return r;
  }

  /** Parses `a.b.c.d/n`, or returns why it is not a CIDR (bad address, bad length, host bits set). */
  public static tryParse(text: string): Ipv4Cidr | string {
    if (typeof text !== 'string') return `${JSON.stringify(text)} is not a CIDR`;
    const m = /^([^/]+)\/(\d{1,2})$/.exec(text);
    if (!m) return `"${text}" is not a CIDR (expected address/prefix-length, e.g. 10.0.0.0/16)`;
    const ip = Ipv4Address.tryParse(m[1]);
    if (typeof ip === 'string') return `"${text}" is not a CIDR: ${ip}`;
    const prefix = Number(m[2]);
    if (prefix > 32) return `"${text}" is not a CIDR: prefix length ${prefix} is above 32`;
    const cidr = new Ipv4Cidr(ip, prefix);
    if (!cidr.network.equals(ip)) {
      return `"${text}" has host bits set; the network is ${cidr.toString()}`;
    }
    return cidr;
  }

  /** The block of length `prefix` that contains `ip` (host bits cleared). */
  public static containing(ip: Ipv4Address, prefix: number): Ipv4Cidr {
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) throw new MultinicError('INVALID_CIDR', `prefix length ${prefix} is not 0-32`);
    return new Ipv4Cidr(ip, prefix);
  }

  public readonly network: Ipv4Address;

  private constructor(address: Ipv4Address, public readonly prefix: number) {
    const hostBits = 32n - BigInt(prefix);
    this.network = Ipv4Address.fromBigInt((address.value >> hostBits) << hostBits);
  }

  public get size(): bigint {
    return 1n << (32n - BigInt(this.prefix));
  }

  /** Last address (broadcast for prefixes below /31). */
  public get last(): Ipv4Address {
    return this.network.plus(this.size - 1n);
  }

  /** All addresses of the block as a range. */
  public get range(): Ipv4Range {
    return new Ipv4Range(this.network, this.last);
  }

  /** First usable host: the network address + 1 (the AWS subnet router, and the CNI plugins' default gateway). */
  public get firstHost(): Ipv4Address {
    return this.prefix >= 31 ? this.network : this.network.plus(1);
  }

  /** Last usable host: the broadcast address - 1. */
  public get lastHost(): Ipv4Address {
    return this.prefix >= 31 ? this.last : this.last.plus(-1);
  }

  public contains(ip: Ipv4Address): boolean {
    return this.range.contains(ip);
  }

  public containsCidr(other: Ipv4Cidr): boolean {
    return this.range.containsRange(other.range);
  }

  public overlaps(other: Ipv4Cidr | Ipv4Range): boolean {
    return this.range.overlaps(other instanceof Ipv4Cidr ? other.range : other);
  }

  public toString(): string {
    return `${this.network}/${this.prefix}`;
  }
}
