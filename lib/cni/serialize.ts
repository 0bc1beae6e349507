/**
 * The one place a CNI document becomes JSON: stable key order, wire-key mapping, explicit route gateways, and the
 * guards against configs the real plugins would silently accept (no `cniVersion`, no `ipam`).
 *
 * Key order: envelope first (`cniVersion`, `name`), then `type`, then the plugin's keys in the order of
 * `PLUGIN_WIRE_KEYS`, then `ipam` (its `type` first, then `IPAM_WIRE_KEYS`). A conflist is
 * `{cniVersion, name, plugins: [...]}` with the IPAM inside the first plugin.
 */
import { MultinicError } from '../errors';
import { CNI_INVALID_CONFIG, CNI_MISSING_IPAM, CNI_ROUTE_WITHOUT_GATEWAY } from './codes';
import type { BridgePlugin } from './bridge';
import {
  checkCniName, checkCniVersion, type CniChainedPlugin, type CniDocument, type CniIpam, type CniMainPlugin, type CniRoute,
} from './envelope';
import type { HostDevicePlugin } from './host-device';
import type { IpvlanPlugin } from './ipvlan';
import type { MacvlanPlugin } from './macvlan';
import type { TuningPlugin } from './tuning';
import type { DhcpIpam } from './ipam/dhcp';
import { hostLocalGateway, type HostLocalIpam, type HostLocalRange } from './ipam/host-local';
import { staticGateway, type StaticAddress, type StaticDns, type StaticIpam } from './ipam/static';
import { whereaboutsGateway, type WhereaboutsIpam } from './ipam/whereabouts';
import type { IpFamily } from '../net/ip';
import { parseCidr } from './private/validate';

/** A JSON value as we emit it. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | JsonObject;
export interface JsonObject { readonly [key: string]: JsonValue }

/** `[model key, wire key]` pairs in emission order. */
type KeyTable<T> = readonly (readonly [Exclude<keyof T, 'type' | 'ipam'> & string, string])[];
/**
 * Checks at compile time that a table lists every key of T (but `type` and `ipam`): a key added to a model and
 * forgotten here fails the build, naming it in `missing`.
 */
function keyTable<T>() {
  return <const K extends KeyTable<T>>(
    table: K & ([Exclude<keyof T, 'type' | 'ipam' | K[number][0]>] extends [never] ? unknown : { missing: Exclude<keyof T, 'type' | 'ipam' | K[number][0]> }),
  ): K => table;
}

/** The wire keys of every plugin, in emission order (between `type` and `ipam`). */
export const PLUGIN_WIRE_KEYS = {
  macvlan: keyTable<MacvlanPlugin>()([['master', 'master'], ['mode', 'mode'], ['mtu', 'mtu']]),
  ipvlan: keyTable<IpvlanPlugin>()([['master', 'master'], ['mode', 'mode'], ['mtu', 'mtu']]),
  bridge: keyTable<BridgePlugin>()([
    ['bridge', 'bridge'], ['isGateway', 'isGateway'], ['ipMasq', 'ipMasq'], ['hairpinMode', 'hairpinMode'], ['mtu', 'mtu'], ['vlan', 'vlan'],
  ]),
  'host-device': keyTable<HostDevicePlugin>()([['device', 'device'], ['hwaddr', 'hwaddr'], ['kernelpath', 'kernelpath'], ['pciBusID', 'pciBusID']]),
  sbr: [] as const,
  tuning: keyTable<TuningPlugin>()([['sysctl', 'sysctl']]),
} as const;

/** The wire keys of every IPAM, in emission order (after `type`). Whereabouts is the one that renames. */
export const IPAM_WIRE_KEYS = {
  'host-local': keyTable<HostLocalIpam>()([['ranges', 'ranges'], ['routes', 'routes'], ['dataDir', 'dataDir']]),
  static: keyTable<StaticIpam>()([['addresses', 'addresses'], ['routes', 'routes'], ['dns', 'dns']]),
  whereabouts: keyTable<WhereaboutsIpam>()([
    ['range', 'range'], ['rangeStart', 'range_start'], ['rangeEnd', 'range_end'], ['exclude', 'exclude'],
    ['gateway', 'gateway'], ['routes', 'routes'], ['networkName', 'network_name'],
  ]),
  dhcp: keyTable<DhcpIpam>()([['daemonSocketPath', 'daemonSocketPath']]),
} as const;

const RANGE_KEYS = keyTable<HostLocalRange>()([['subnet', 'subnet'], ['rangeStart', 'rangeStart'], ['rangeEnd', 'rangeEnd'], ['gateway', 'gateway']]);
const ADDRESS_KEYS = keyTable<StaticAddress>()([['address', 'address'], ['gateway', 'gateway']]);
const DNS_KEYS = keyTable<StaticDns>()([['nameservers', 'nameservers'], ['domain', 'domain'], ['search', 'search'], ['options', 'options']]);
const ROUTE_KEYS = keyTable<CniRoute>()([['dst', 'dst'], ['gw', 'gw']]);

/** Copies the defined keys of `obj` in table order under their wire names. */
function ordered<K extends string>(
  obj: NoInfer<{ readonly [P in K]?: JsonValue | undefined }>, table: readonly (readonly [K, string])[],
): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [key, wire] of table) {
    const value = obj[key];
    if (value !== undefined) out[wire] = value;
  }
  return out;
}

/** The wire object of a document, keys in emission order. Throws MultinicError for what must never be emitted. */
export function cniWireObject(doc: CniDocument): JsonObject {
  const cniVersion = checkCniVersion(`cni "${doc.name}"`, doc.cniVersion);
  checkCniName('cni.name', doc.name);
  const [main, ...chained] = doc.plugins;
  if (main === undefined) {
    throw new MultinicError(CNI_INVALID_CONFIG, `cni "${doc.name}": no plugin; give a main plugin (macvlan, ipvlan, bridge, host-device)`);
  }
  const where = `cni "${doc.name}" ${main.type}`;
  const first = mainWire(where, main);
  if (chained.length === 0) return { cniVersion, name: doc.name, ...first };
  return { cniVersion, name: doc.name, plugins: [first, ...chained.map((p) => chainedWire(`cni "${doc.name}"`, p))] };
}

/** Serializes a document to the JSON a NetworkAttachmentDefinition's `spec.config` holds (2-space indented). */
export function serializeCni(doc: CniDocument): string {
  return JSON.stringify(cniWireObject(doc), null, 2);
}

function mainWire(where: string, p: CniMainPlugin): JsonObject {
  if ((p.ipam as CniIpam | undefined) === undefined) {
    throw new MultinicError(CNI_MISSING_IPAM,
      `${where}: no ipam; without one the plugin succeeds and the pod interface gets no address. Set ipam (host-local, static, whereabouts or dhcp)`);
  }
  const ipam = ipamWire(`${where} ipam`, p.ipam);
  switch (p.type) {
    case 'macvlan': return { type: p.type, ...ordered(p, PLUGIN_WIRE_KEYS.macvlan), ipam };
    case 'ipvlan': return { type: p.type, ...ordered(p, PLUGIN_WIRE_KEYS.ipvlan), ipam };
    case 'bridge': return { type: p.type, ...ordered(p, PLUGIN_WIRE_KEYS.bridge), ipam };
    case 'host-device': return { type: p.type, ...ordered(p, PLUGIN_WIRE_KEYS['host-device']), ipam };
    default: return unknownType(where, 'main plugin', p, 'macvlan, ipvlan, bridge, host-device');
  }
}

function chainedWire(where: string, p: CniChainedPlugin): JsonObject {
  switch (p.type) {
    case 'sbr': return { type: p.type };
    case 'tuning': return { type: p.type, sysctl: sortedRecord(p.sysctl) };
    default: return unknownType(where, 'chained plugin', p, 'sbr, tuning');
  }
}

function ipamWire(where: string, ipam: CniIpam): JsonObject {
  switch (ipam.type) {
    case 'host-local': return {
      type: ipam.type,
      ...ordered({
        ranges: ipam.ranges.map((set) => set.map((r) => ordered(r, RANGE_KEYS))),
        routes: routesWire(`${where}.routes`, ipam.routes, (f) => hostLocalGateway(ipam, f), 'a gateway on a range of that family'),
        dataDir: ipam.dataDir,
      }, IPAM_WIRE_KEYS['host-local']),
    };
    case 'static': return {
      type: ipam.type,
      ...ordered({
        addresses: ipam.addresses.map((a) => ordered(a, ADDRESS_KEYS)),
        routes: routesWire(`${where}.routes`, ipam.routes, (f) => staticGateway(ipam, f), 'a gateway on an address of that family'),
        dns: ipam.dns === undefined ? undefined : ordered(ipam.dns, DNS_KEYS),
      }, IPAM_WIRE_KEYS.static),
    };
    case 'whereabouts': return {
      type: ipam.type,
      ...ordered({
        ...ipam,
        routes: routesWire(`${where}.routes`, ipam.routes, (f) => whereaboutsGateway(ipam, f), 'a range of that family'),
      }, IPAM_WIRE_KEYS.whereabouts),
    };
    case 'dhcp': return { type: ipam.type, ...ordered(ipam, IPAM_WIRE_KEYS.dhcp) };
    default: return unknownType(where, 'IPAM', ipam, 'host-local, static, whereabouts, dhcp');
  }
}

/** Every route gets an explicit gw: CHECK fails on routes without one. */
function routesWire(
  where: string, routes: readonly CniRoute[] | undefined, gatewayFor: (family: IpFamily) => string | undefined, fix: string,
): JsonValue[] | undefined {
  return routes?.map((r, i) => {
    const family = parseCidr(r.dst, `${where}[${i}].dst`).family;
    const gw = r.gw ?? gatewayFor(family);
    if (gw === undefined) {
      throw new MultinicError(CNI_ROUTE_WITHOUT_GATEWAY,
        `${where}[${i}]: route to ${r.dst} has no gw and the IPAM has no IPv${family} gateway to default to; set gw on the route or ${fix}`);
    }
    return ordered({ dst: r.dst, gw }, ROUTE_KEYS);
  });
}

function sortedRecord(record: Readonly<Record<string, string>>): JsonObject {
  return Object.fromEntries(Object.keys(record).sort().map((k) => [k, record[k]]));
}

function unknownType(where: string, what: string, value: never, known: string): never {
  const type = (value as { type?: unknown }).type;
  throw new MultinicError(CNI_INVALID_CONFIG, `${where}: unknown ${what} type ${JSON.stringify(type) ?? 'undefined'}; known: ${known}`);
}
