/**
 * Reading what the cluster itself says, through kubectl: pod phase and node, events, network-status, `kubectl exec`
 * output, Whereabouts' IP pools. Every wait is bounded and says what it waited for.
 */
import { NETWORK_STATUS_ANNOTATION, parseNetworkStatus, type NetworkStatusEntry } from '../../../lib/verify/network-status';
import type { RunResult, SeedBox } from './box';

export interface Pod {
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  readonly spec: { readonly nodeName?: string };
  readonly status: { readonly phase?: string; readonly startTime?: string; readonly conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> };
}

export interface KubeEvent {
  readonly reason: string;
  readonly message: string;
  readonly type: string;
}

export interface IpPool {
  readonly metadata: { readonly name: string };
  readonly spec: { readonly range: string; readonly allocations?: Record<string, { id: string; podref?: string; ifname?: string }> };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `check` until it returns a value, or throws after `timeoutMs` naming `what` and the last state seen. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => T | undefined, everyMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await sleep(everyMs);
  }
}

export class Kube {
  constructor(private readonly box: Pick<SeedBox, 'kubectl'>) {}

  /** kubectl that must succeed. */
  public must(args: readonly string[], input?: string): string {
    const r = this.box.kubectl(args, { input });
    if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')}: exit ${r.status}: ${(r.stderr || r.stdout).trim().slice(-2000)}`);
    return r.stdout;
  }

  public json<T>(args: readonly string[]): T {
    return JSON.parse(this.must([...args, '-o', 'json'])) as T;
  }

  /** Applies manifests (text), server-side, as the README does. */
  public apply(text: string): void {
    this.must(['apply', '--server-side', '-f', '-'], text);
  }

  /**
   * Deletes what `text` describes and waits until it is gone. Pods get 1 s of grace: the seed's images run
   * `sleep infinity`, which ignores SIGTERM and would hold each scenario for the default 30 s; the kubelet still
   * tears the sandbox down (CNI DEL) as for any deletion.
   */
  public delete(text: string): void {
    const r = this.box.kubectl(['delete', '--ignore-not-found', '--wait=true', '--grace-period=1', '--timeout=90s', '-f', '-'], { input: text, timeoutMs: 100_000 });
    // A pod whose sandbox never came up (the failures) may hang in teardown: force it, as an operator would.
    if (r.status !== 0) this.must(['delete', '--ignore-not-found', '--force', '--grace-period=0', '-f', '-'], text);
  }

  public pod(namespace: string, name: string): Pod | undefined {
    const r = this.box.kubectl(['-n', namespace, 'get', 'pod', name, '-o', 'json']);
    return r.status === 0 ? (JSON.parse(r.stdout) as Pod) : undefined;
  }

  public pods(namespace: string, selector?: string): Pod[] {
    return this.json<{ items: Pod[] }>(['-n', namespace, 'get', 'pods', ...(selector ? ['-l', selector] : [])]).items;
  }

  /** Waits for a pod to run; returns it. On timeout the error carries the pod's phase, node and last events. */
  public async running(namespace: string, name: string, timeoutMs = 120_000): Promise<Pod> {
    try {
      return await waitFor(`pod ${namespace}/${name} Running`, timeoutMs, () => {
        const p = this.pod(namespace, name);
        return p?.status.phase === 'Running' ? p : undefined;
      });
    } catch (e) {
      throw new Error(`${(e as Error).message}\n${this.describe(namespace, name)}`);
    }
  }

  /** Phase, node and the last events of a pod, for failure messages. */
  public describe(namespace: string, name: string): string {
    const p = this.pod(namespace, name);
    const events = this.box.kubectl(['-n', namespace, 'get', 'events', '--field-selector', `involvedObject.name=${name}`, '-o', 'json']);
    const items = events.status === 0 ? (JSON.parse(events.stdout) as { items: KubeEvent[] }).items : [];
    return [`${namespace}/${name}: phase ${p?.status.phase ?? 'absent'} on ${p?.spec.nodeName ?? 'no node'}`,
      ...items.slice(-5).map((e) => `  ${e.type} ${e.reason}: ${e.message.slice(0, 600)}`)].join('\n');
  }

  /** Events about one object, oldest first. */
  public events(namespace: string, name: string): KubeEvent[] {
    return this.json<{ items: KubeEvent[] }>(['-n', namespace, 'get', 'events', '--field-selector', `involvedObject.name=${name}`]).items;
  }

  /** Waits for an event about `name` whose message matches; returns it. */
  public async event(namespace: string, name: string, message: RegExp, timeoutMs = 90_000): Promise<KubeEvent> {
    return waitFor(`an event on ${namespace}/${name} matching ${message}`, timeoutMs, () => this.events(namespace, name).find((e) => message.test(e.message)), 1000);
  }

  public networkStatus(pod: Pod): NetworkStatusEntry[] {
    const s = parseNetworkStatus(pod.metadata.annotations?.[NETWORK_STATUS_ANNOTATION]);
    if (typeof s === 'string') throw new Error(`${pod.metadata.namespace}/${pod.metadata.name}: ${s}`);
    return s;
  }

  /** The IPv4 address of `ifname` in the pod's network-status. */
  public address(pod: Pod, ifname = 'net1'): string | undefined {
    return this.networkStatus(pod).find((e) => e.interface === ifname)?.ips.find((ip) => ip.includes('.'));
  }

  /** `kubectl exec` (never throws: the exit status is what some tests assert). */
  public exec(namespace: string, pod: string, command: readonly string[], timeoutMs = 30_000): RunResult {
    return this.box.kubectl(['-n', namespace, 'exec', pod, '--', ...command], { timeoutMs });
  }

  /** Whereabouts' pools (one per range), and every address allocated in them. */
  public ipPools(): IpPool[] {
    return this.json<{ items: IpPool[] }>(['get', 'ippools.whereabouts.cni.cncf.io', '-A']).items;
  }

  /** Allocations of the pool of `range` as [offset, podref]. */
  public allocations(range: string): Array<[number, string]> {
    const pool = this.ipPools().find((p) => p.spec.range === range);
    return Object.entries(pool?.spec.allocations ?? {}).map(([offset, a]) => [Number(offset), a.podref ?? a.id]);
  }

  /** OverlappingRangeIPReservations: one per address Whereabouts holds cluster-wide. */
  public reservations(): string[] {
    return this.json<{ items: Array<{ metadata: { name: string } }> }>(['get', 'overlappingrangeipreservations.whereabouts.cni.cncf.io', '-A']).items.map((r) => r.metadata.name);
  }
}
