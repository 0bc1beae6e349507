/**
 * JSON Schema (draft-07, checkable with ajv) of exactly what `serializeCni` emits: the chart tests validate every
 * NetworkAttachmentDefinition's `spec.config` against it. It is stricter than the CNI spec on purpose: `cniVersion`
 * and `ipam` are required, every route has a `gw`, and unknown keys are refused.
 *
 * @example
 * const validate = new Ajv({ strict: true }).compile(CNI_CONFIG_SCHEMA);
 * validate(JSON.parse(nad.spec.config));
 */
import { CNI_VERSIONS } from './envelope';
import { HOST_DEVICE_SELECTORS } from './host-device';
import { IPVLAN_MODES } from './ipvlan';
import { MACVLAN_MODES } from './macvlan';
import type { JsonObject } from './serialize';

const str: JsonObject = { type: 'string', minLength: 1 };
const strList: JsonObject = { type: 'array', items: str };
const bool: JsonObject = { type: 'boolean' };
const mtu: JsonObject = { type: 'integer', minimum: 0, maximum: 65535 };

function object(required: readonly string[], properties: JsonObject): JsonObject {
  return { type: 'object', required: [...required], additionalProperties: false, properties };
}

const route = object(['dst', 'gw'], { dst: str, gw: str });
const routes: JsonObject = { type: 'array', items: route };

const ipam: JsonObject = {
  oneOf: [
    object(['type', 'ranges'], {
      type: { const: 'host-local' },
      ranges: {
        type: 'array', minItems: 1,
        items: { type: 'array', minItems: 1, items: object(['subnet'], { subnet: str, rangeStart: str, rangeEnd: str, gateway: str }) },
      },
      routes,
      dataDir: str,
    }),
    object(['type', 'addresses'], {
      type: { const: 'static' },
      addresses: { type: 'array', items: object(['address'], { address: str, gateway: str }) },
      routes,
      dns: object([], { nameservers: strList, domain: str, search: strList, options: strList }),
    }),
    object(['type', 'range'], {
      type: { const: 'whereabouts' },
      range: str, range_start: str, range_end: str, exclude: strList, gateway: str, routes, network_name: str,
    }),
    object(['type'], { type: { const: 'dhcp' }, daemonSocketPath: str }),
  ],
};

/** Main plugins; `envelope` adds the conf-level `cniVersion` and `name`. */
function mainPlugins(envelope: JsonObject): JsonObject[] {
  const main = (type: string, required: readonly string[], properties: JsonObject, extra: JsonObject = {}): JsonObject => ({
    ...object([...Object.keys(envelope), 'type', ...required, 'ipam'], { ...envelope, type: { const: type }, ...properties, ipam }),
    ...extra,
  });
  return [
    main('macvlan', ['master', 'mode'], { master: str, mode: { enum: [...MACVLAN_MODES] }, mtu }),
    main('ipvlan', ['master', 'mode'], { master: str, mode: { enum: [...IPVLAN_MODES] }, mtu }),
    main('bridge', ['bridge'], {
      bridge: str, isGateway: bool, ipMasq: bool, hairpinMode: bool, mtu, vlan: { type: 'integer', minimum: 0, maximum: 4094 },
    }),
    main('host-device', [], Object.fromEntries(HOST_DEVICE_SELECTORS.map((k) => [k, str])),
      { oneOf: HOST_DEVICE_SELECTORS.map((k) => ({ required: [k], properties: { [k]: str } })) }),
  ];
}

const envelope: JsonObject = {
  cniVersion: { enum: [...CNI_VERSIONS] },
  name: { type: 'string', pattern: '^[a-zA-Z0-9][a-zA-Z0-9_.-]*$' },
};

const chained: JsonObject = {
  oneOf: [
    object(['type'], { type: { const: 'sbr' } }),
    object(['type', 'sysctl'], {
      type: { const: 'tuning' },
      sysctl: { type: 'object', minProperties: 1, propertyNames: { pattern: '^net\\.' }, additionalProperties: { type: 'string' } },
    }),
  ],
};

/** The schema of one `spec.config`: a single-plugin conf, or a conflist whose first plugin carries the IPAM. */
export const CNI_CONFIG_SCHEMA: JsonObject = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://multinic.dev/schemas/cni-config.json',
  title: 'CNI configuration emitted by multinic',
  oneOf: [
    ...mainPlugins(envelope),
    object(['cniVersion', 'name', 'plugins'], {
      ...envelope,
      // One full tuple per length (ajv's strictTuples refuses an open tailed tuple): the main plugin, then 1 or 2 chained.
      plugins: {
        oneOf: [1, 2].map((n) => ({
          type: 'array', minItems: n + 1, maxItems: n + 1, items: [{ oneOf: mainPlugins({}) }, ...Array<JsonObject>(n).fill(chained)],
        })),
      },
    }),
  ],
};
