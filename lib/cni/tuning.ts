/**
 * The tuning meta plugin, chained after the main plugin: sets sysctls in the pod's network namespace.
 *
 * @see https://www.cni.dev/plugins/current/meta/tuning/
 */
import { MultinicError } from '../errors';
import { CNI_INVALID_CONFIG } from './codes';

export interface TuningProps {
  /** Sysctls to set, e.g. `{ 'net.ipv4.conf.net1.arp_notify': '1' }`; only `net.*` keys are allowed by the plugin. */
  readonly sysctl: Readonly<Record<string, string>>;
}

export interface TuningPlugin {
  readonly type: 'tuning';
  readonly sysctl: Readonly<Record<string, string>>;
}

/** Builds a checked tuning plugin: at least one sysctl, each under `net.` (the plugin refuses the others). */
export function tuning(props: TuningProps): TuningPlugin {
  const keys = Object.keys(props.sysctl);
  if (keys.length === 0) {
    throw new MultinicError(CNI_INVALID_CONFIG, 'tuning.sysctl: no sysctl given; set at least one, or leave tuning out');
  }
  for (const key of keys) {
    if (!/^net\.[A-Za-z0-9_.-]+$/.test(key) || key.includes('..')) {
      throw new MultinicError(CNI_INVALID_CONFIG,
        `tuning.sysctl: "${key}" is not a network sysctl; the tuning plugin only sets keys under net., e.g. net.ipv4.conf.net1.arp_notify`);
    }
  }
  return { type: 'tuning', sysctl: { ...props.sysctl } };
}
