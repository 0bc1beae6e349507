/** The built kubectl against a box, through the user's kubeconfig (the loopback forwarder). */
import type { BoxNames } from './box';
import type { Artifacts } from './artifacts';
import { type RunResult, runAsync } from './provider/exec';

export interface KubectlTarget {
  readonly names: BoxNames;
  artifacts?: Artifacts;
}

export function kubectl(t: KubectlTarget, args: readonly string[], timeoutMs = 60_000): Promise<RunResult> {
  const bin = t.artifacts?.bin('kubectl') ?? 'kubectl';
  // KUBECTL_APPLYSET: `apply --prune --applyset` is still behind this switch in kubectl.
  return runAsync(bin, ['--kubeconfig', t.names.kubeconfig, ...args], { timeoutMs, env: { ...process.env, KUBECTL_APPLYSET: 'true' } });
}

/** kubectl that must succeed; returns stdout. */
export async function kubectlOk(t: KubectlTarget, args: readonly string[], timeoutMs = 60_000): Promise<string> {
  const r = await kubectl(t, args, timeoutMs);
  if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')}: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

/** kubectl get -o json, parsed. */
export async function getJson<T>(t: KubectlTarget, args: readonly string[]): Promise<T> {
  return JSON.parse(await kubectlOk(t, ['get', ...args, '-o', 'json'])) as T;
}
