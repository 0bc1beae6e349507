/**
 * The little address arithmetic the CNI builders need (gateway defaults, range checks), on top of `ip-address`.
 * Parse, don't regex: every value is parsed once, compared as a bigint and printed canonically.
 */
import { Address4, Address6 } from 'ip-address';
import { MultinicError } from '../../errors';
import { CNI_INVALID_CONFIG } from '../codes';

export type IpFamily = 4 | 6;

export interface ParsedIp {
  readonly family: IpFamily;
  readonly value: bigint;
}

export interface ParsedCidr {
  readonly family: IpFamily;
  /** The address as written (host bits kept). */
  readonly address: bigint;
  /** The network address (host bits cleared). */
  readonly network: bigint;
  /** The last address of the network. */
  readonly last: bigint;
  readonly prefix: number;
}

function bits(family: IpFamily): number {
  return family === 4 ? 32 : 128;
}

/** Parses a bare IPv4 or IPv6 address; throws a MultinicError naming `where` otherwise. */
export function parseIp(text: string, where: string): ParsedIp {
  const ip = tryIp(text);
  if (ip) return ip;
  throw new MultinicError(CNI_INVALID_CONFIG, `${where}: "${text}" is not an IP address; write one like 10.0.0.1`);
}

/** Parses `address/prefix`; host bits are allowed (static addresses carry them) and cleared in `network`. */
export function parseCidr(text: string, where: string): ParsedCidr {
  const [addrText, prefixText, ...rest] = text.split('/');
  const addr = rest.length === 0 && prefixText !== undefined ? tryIp(addrText) : undefined;
  const prefix = /^\d{1,3}$/.test(prefixText ?? '') ? Number(prefixText) : NaN;
  if (!addr || !(prefix <= bits(addr.family))) {
    throw new MultinicError(CNI_INVALID_CONFIG, `${where}: "${text}" is not a CIDR; write one like 10.0.0.0/24`);
  }
  const hostBits = BigInt(bits(addr.family) - prefix);
  const network = (addr.value >> hostBits) << hostBits;
  return { family: addr.family, address: addr.value, network, last: network + (1n << hostBits) - 1n, prefix };
}

function tryIp(text: string): ParsedIp | undefined {
  if (text.includes('/')) return undefined;
  if (Address4.isValid(text)) return { family: 4, value: new Address4(text).bigInt() };
  if (Address6.isValid(text)) return { family: 6, value: new Address6(text).bigInt() };
  return undefined;
}

/** Canonical text of an address. */
export function formatIp(ip: ParsedIp): string {
  return ip.family === 4 ? Address4.fromBigInt(ip.value).correctForm() : Address6.fromBigInt(ip.value).correctForm();
}

/** The first host of a network (network address + 1): what host-local and Whereabouts use as the default gateway. */
export function firstHost(cidr: ParsedCidr): ParsedIp {
  return { family: cidr.family, value: cidr.network + 1n };
}

export function cidrContains(cidr: ParsedCidr, ip: ParsedIp): boolean {
  return cidr.family === ip.family && ip.value >= cidr.network && ip.value <= cidr.last;
}
