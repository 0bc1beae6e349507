/**
 * The sbr (source-based routing) meta plugin, chained after the main plugin: it moves the pod interface's routes
 * into their own table and adds a rule for its source addresses, so replies leave through the interface the
 * request came in on.
 *
 * Known limit (measured with Debian's plugins): after sbr the main plugin's CHECK fails, because the routes it
 * checks are no longer in the main table. Runtimes that call CHECK will report such networks as broken.
 *
 * @see https://www.cni.dev/plugins/current/meta/sbr/
 */
export interface SbrPlugin {
  readonly type: 'sbr';
}

/** Builds the sbr plugin (it has no options we emit). */
export function sbr(): SbrPlugin {
  return { type: 'sbr' };
}
