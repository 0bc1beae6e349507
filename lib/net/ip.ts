/**
 * Addresses of either family (IPv4 and IPv6) as plain values: what the CNI builders need (gateway defaults, range
 * checks). The one owner of address parsing in lib/ (`ipv4.ts` builds its IPv4 value types on `tryParseIp`).
 * Parse, don't regex: every value is parsed once, compared as a bigint and printed canonically, by `ip-address`.
 */
import { Address4, Address6 } from 'ip-address';
import { MultinicError } from '../errors';

/** Code of the error `parseIp` throws unless the caller names its own. */
export const INVALID_IP = 'INVALID_IP';
/** Code of the error `parseCidr` throws unless the caller names its own. */
export const INVALID_CIDR = 'INVALID_CIDR';

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

/**
 * Parses a bare IPv4 or IPv6 address; throws a MultinicError with `code` naming `where` otherwise.
 *
 * @param code the error code, e.g. the CNI builders' CNI_INVALID_CONFIG. @default INVALID_IP
 */
export function parseIp(text: string, where: string, code: string = INVALID_IP): ParsedIp {
  const ip = tryParseIp(text);
  if (ip) return ip;
  throw new MultinicError(code, `${where}: "${text}" is not an IP address; write one like 10.0.0.1`);
}

/**
 * Parses `address/prefix`; host bits are allowed (static addresses carry them) and cleared in `network`.
 *
 * @param code the error code, e.g. the CNI builders' CNI_INVALID_CONFIG. @default INVALID_CIDR
 */
export function parseCidr(text: string, where: string, code: string = INVALID_CIDR): ParsedCidr {
  const [addrText, prefixText, ...rest] = text.split('/');
  const addr = rest.length === 0 && prefixText !== undefined ? tryParseIp(addrText) : undefined;
  const prefix = /^\d{1,3}$/.test(prefixText ?? '') ? Number(prefixText) : NaN;
  if (!addr || !(prefix <= bits(addr.family))) {
    throw new MultinicError(code, `${where}: "${text}" is not a CIDR; write one like 10.0.0.0/24`);
  }
  const hostBits = BigInt(bits(addr.family) - prefix);
  const network = (addr.value >> hostBits) << hostBits;
  return { family: addr.family, address: addr.value, network, last: network + (1n << hostBits) - 1n, prefix };
}

/** A bare IPv4 or IPv6 address, or undefined when `text` is not one. */
export function tryParseIp(text: string): ParsedIp | undefined {
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
