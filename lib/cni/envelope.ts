/**
 * The common envelope of a CNI configuration: `cniVersion`, `name`, and an ordered list of plugins whose first
 * entry is the main plugin (with its `ipam`) and whose rest are chained meta plugins (sbr, tuning).
 *
 * One main plugin alone serializes as a single-plugin conf (`{cniVersion, name, type, ..., ipam}`); with chained
 * plugins it serializes as a conflist (`{cniVersion, name, plugins: [...]}`). See `serializeCni`.
 *
 * @see https://www.cni.dev/docs/spec/#configuration-format
 */
import { MultinicError } from '../errors';
import { CNI_INVALID_CONFIG, CNI_MISSING_VERSION, CNI_UNSUPPORTED_VERSION } from './codes';
import type { BridgePlugin } from './bridge';
import type { HostDevicePlugin } from './host-device';
import type { IpvlanPlugin } from './ipvlan';
import type { MacvlanPlugin } from './macvlan';
import type { SbrPlugin } from './sbr';
import type { TuningPlugin } from './tuning';

export type { CniRoute } from './route';
export type { CniIpam, CniIpamType } from './ipam/ipam';

/**
 * The CNI spec versions we emit. Debian's plugins (1.1.1) accept 0.1.0 to 1.0.0 but not 1.1.0; below 0.3.0 the
 * result format has no interfaces list, and CHECK needs 0.4.0 or later.
 */
export const CNI_VERSIONS = ['0.3.0', '0.3.1', '0.4.0', '1.0.0'] as const;
export type CniVersion = (typeof CNI_VERSIONS)[number];

/** The version a document gets when none is asked for. @default 1.0.0 */
export const DEFAULT_CNI_VERSION: CniVersion = '1.0.0';

/** What CNI accepts as a network name (libcni's `ValidateNetworkName`). */
export const CNI_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** A plugin that creates the pod interface and carries the IPAM. */
export type CniMainPlugin = MacvlanPlugin | IpvlanPlugin | BridgePlugin | HostDevicePlugin;
/** A meta plugin chained after the main plugin. */
export type CniChainedPlugin = SbrPlugin | TuningPlugin;
export type CniPlugin = CniMainPlugin | CniChainedPlugin;
export type CniPluginType = CniPlugin['type'];

/** A whole CNI configuration: what one NetworkAttachmentDefinition's `spec.config` holds. */
export interface CniDocument {
  readonly cniVersion: CniVersion;
  /** Network name; host-local keeps its reservations per name. */
  readonly name: string;
  /** The main plugin first, then the chained plugins in the order the runtime calls them on ADD. */
  readonly plugins: readonly [CniMainPlugin, ...CniChainedPlugin[]];
}

export interface CniDocumentProps {
  /** @default DEFAULT_CNI_VERSION (1.0.0) */
  readonly cniVersion?: string;
  readonly name: string;
  readonly plugin: CniMainPlugin;
  /** Each meta plugin at most once. @default - none: a single-plugin conf */
  readonly chained?: readonly CniChainedPlugin[];
}

/** Checks a version string against `CNI_VERSIONS`; throws CNI_MISSING_VERSION or CNI_UNSUPPORTED_VERSION. */
export function checkCniVersion(where: string, version: string | undefined): CniVersion {
  if (version === undefined || version === '') {
    throw new MultinicError(CNI_MISSING_VERSION,
      `${where}: cniVersion is missing; without it the plugins answer in the legacy 0.1.0 format. Set one of ${CNI_VERSIONS.join(', ')}`);
  }
  const known = CNI_VERSIONS.find((v) => v === version);
  if (known === undefined) {
    throw new MultinicError(CNI_UNSUPPORTED_VERSION,
      `${where}: cniVersion "${version}" is not supported by the CNI plugins we ship (Debian 1.1.1); use one of ${CNI_VERSIONS.join(', ')}`);
  }
  return known;
}

/** Checks a CNI network name against `CNI_NAME_PATTERN`. */
export function checkCniName(where: string, name: string): void {
  if (!CNI_NAME_PATTERN.test(name)) {
    throw new MultinicError(CNI_INVALID_CONFIG,
      `${where}: "${name}" is not a CNI network name; start with a letter or digit and use only letters, digits, "_", "." and "-"`);
  }
}

/** Builds a checked document. */
export function cniDocument(props: CniDocumentProps): CniDocument {
  const cniVersion = checkCniVersion('cni', props.cniVersion ?? DEFAULT_CNI_VERSION);
  checkCniName('cni.name', props.name);
  const chainedTypes = (props.chained ?? []).map((p) => p.type);
  const twice = chainedTypes.find((t, i) => chainedTypes.indexOf(t) !== i);
  if (twice !== undefined) {
    throw new MultinicError(CNI_INVALID_CONFIG, `cni "${props.name}": ${twice} is chained twice; chain each meta plugin at most once`);
  }
  return { cniVersion, name: props.name, plugins: [props.plugin, ...(props.chained ?? [])] };
}

/** True when the document serializes as a conflist (it has chained plugins). */
export function isConfList(doc: CniDocument): boolean {
  return doc.plugins.length > 1;
}
