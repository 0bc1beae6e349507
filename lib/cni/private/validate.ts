/** Checks shared by several builders. Each throws a MultinicError that names the field and how to fix it. */
import { MultinicError } from '../../errors';
import { CNI_INVALID_CONFIG } from '../codes';
import type { CniRoute } from '../route';
import { parseCidr as parseAnyCidr, parseIp as parseAnyIp, type ParsedCidr, type ParsedIp } from '../../net/ip';

/** Linux IFNAMSIZ - 1: the longest interface name the kernel accepts. */
export const MAX_IFNAME_LENGTH = 15;

/** An interface name the kernel accepts: 1 to 15 characters, no "/", no whitespace, not "." or "..". */
export function checkIfName(where: string, name: string): void {
  if (name.length === 0 || name.length > MAX_IFNAME_LENGTH || /[/\s:]/.test(name) || name === '.' || name === '..') {
    throw new MultinicError(CNI_INVALID_CONFIG,
      `${where}: "${name}" is not a Linux interface name; use 1 to ${MAX_IFNAME_LENGTH} characters without "/", ":" or spaces`);
  }
}

/** An MTU: a whole number from 0 (the plugin's default, the master's MTU) to 65535. */
export function checkMtu(where: string, mtu: number | undefined): void {
  if (mtu !== undefined && !(Number.isInteger(mtu) && mtu >= 0 && mtu <= 65535)) {
    throw new MultinicError(CNI_INVALID_CONFIG, `${where}: ${mtu} is not an MTU; use a whole number from 0 to 65535`);
  }
}

/** A value from a fixed list of modes. */
export function checkOneOf<T extends string>(where: string, value: string, allowed: readonly T[]): asserts value is T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new MultinicError(CNI_INVALID_CONFIG, `${where}: unknown value "${value}"; use one of ${allowed.join(', ')}`);
  }
}

/** Every route has a parseable `dst` CIDR and, when given, a `gw` address of the same family. */
export function checkRoutes(where: string, routes: readonly CniRoute[] | undefined): void {
  (routes ?? []).forEach((r, i) => {
    const dst = parseCidr(r.dst, `${where}[${i}].dst`);
    if (r.gw !== undefined && parseIp(r.gw, `${where}[${i}].gw`).family !== dst.family) {
      throw new MultinicError(CNI_INVALID_CONFIG, `${where}[${i}].gw: "${r.gw}" is not of the same IP family as dst "${r.dst}"`);
    }
  });
}

/** `parseIp` of lib/net with the builders' code: a bad address is a CNI_INVALID_CONFIG naming `where`. */
export function parseIp(text: string, where: string): ParsedIp {
  return parseAnyIp(text, where, CNI_INVALID_CONFIG);
}

/** `parseCidr` of lib/net with the builders' code: a bad CIDR is a CNI_INVALID_CONFIG naming `where`. */
export function parseCidr(text: string, where: string): ParsedCidr {
  return parseAnyCidr(text, where, CNI_INVALID_CONFIG);
}
