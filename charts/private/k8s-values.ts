import { MultinicError } from '../../lib/errors';

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
const DECIMAL: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/**
 * Parses a Kubernetes memory quantity ("256Mi", "1G", "1048576") into bytes.
 * @throws MultinicError `code` for anything else, naming `where`.
 */
export function memoryBytes(quantity: string, where: string, code: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(quantity);
  if (!m) {
    throw new MultinicError(code, `${where}: "${quantity}" is not a memory quantity; use e.g. "256Mi" or "1Gi"`);
  }
  const unit = m[2] ?? '';
  return Number(m[1]) * (BINARY[unit] ?? DECIMAL[unit]);
}

/**
 * Parses a Kubernetes CPU quantity ("100m", "0.5", "2") into millicores.
 * @throws MultinicError `code` for anything else, naming `where`.
 */
export function cpuMillis(quantity: string, where: string, code: string): number {
  const m = /^(\d+(?:\.\d+)?)(m)?$/.exec(quantity);
  if (!m || Number(m[1]) === 0) {
    throw new MultinicError(code, `${where}: "${quantity}" is not a positive CPU quantity; use e.g. "100m" or "1"`);
  }
  return m[2] ? Number(m[1]) : Number(m[1]) * 1000;
}

const MOVING_TAGS = /^(latest|stable|snapshot|master|main)(-.*)?$/;

/**
 * Rejects images that are not pinned to a release: no tag (implies `latest`), or a moving tag such as `latest`,
 * `snapshot-thick` or `stable-thick`, which change under a running cluster and make nodes run different builds.
 * A digest (`@sha256:...`) is pinned.
 */
export function assertPinnedImage(image: string, where: string, code: string): void {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) {
    return;
  }
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  const tag = colon < 0 ? '' : lastSegment.slice(colon + 1);
  if (tag === '' || MOVING_TAGS.test(tag)) {
    throw new MultinicError(code,
      `${where}: image "${image}" is not pinned to a release (${tag === '' ? 'no tag means latest' : `"${tag}" is a moving tag`}); ` +
      'use a release tag such as "v4.3.0-thick" or a @sha256 digest');
  }
}
