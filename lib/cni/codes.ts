/**
 * Stable `MultinicError` codes thrown by the CNI builders and the serializer. They are part of the contract: tests
 * and callers match on the code, never on the message.
 */
/** A document without `cniVersion`: the real plugins would answer in the legacy 0.1.0 result format. */
export const CNI_MISSING_VERSION = 'CNI_MISSING_VERSION';
/** A `cniVersion` Debian's plugins (0.1.0 to 1.0.0) or our schema do not accept. */
export const CNI_UNSUPPORTED_VERSION = 'CNI_UNSUPPORTED_VERSION';
/** A main plugin without `ipam`: the real plugins would succeed and hand out no address. */
export const CNI_MISSING_IPAM = 'CNI_MISSING_IPAM';
/** A route whose `gw` cannot be derived from the IPAM (CHECK fails on routes without one). */
export const CNI_ROUTE_WITHOUT_GATEWAY = 'CNI_ROUTE_WITHOUT_GATEWAY';
/** Any other value the real plugins would reject (bad CIDR, address outside its subnet, empty interface name). */
export const CNI_INVALID_CONFIG = 'CNI_INVALID_CONFIG';

/** IPAM resolved on each node (`eni-prefix`): there is no cluster-wide config; lib/node renders the per-node one. */
export const CNI_PER_NODE_IPAM = 'CNI_PER_NODE_IPAM';

/** Every code above, for exhaustive checks. */
export const CNI_ERROR_CODES = [
  CNI_MISSING_VERSION, CNI_UNSUPPORTED_VERSION, CNI_MISSING_IPAM, CNI_ROUTE_WITHOUT_GATEWAY, CNI_INVALID_CONFIG, CNI_PER_NODE_IPAM,
] as const;
