/**
 * An in-memory stand-in for the few API calls the functions make, for the unit tests of their decisions (which pod,
 * which order, what answer). What the real API server does with those calls (eviction and PodDisruptionBudgets,
 * deletion, RBAC) is tested against a real one in test/cluster/eks.test.ts.
 */
export interface FakePod { metadata: { name: string; namespace: string; uid: string; annotations?: Record<string, string>; labels?: Record<string, string>; ownerReferences?: { kind: string }[]; deletionTimestamp?: string }; spec: { nodeName?: string } }
export interface FakeNode { metadata: { name: string }; spec: { providerID?: string; unschedulable?: boolean }; status?: { conditions: { type: string; status: string }[] } }

export class FakeKube {
  public readonly calls: string[] = [];
  /** Evictions answered 429 while this returns true (a PodDisruptionBudget). */
  public blocked: (pod: FakePod) => boolean = () => false;
  constructor(public pods: FakePod[] = [], public nodes: FakeNode[] = []) {}

  public async raw(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    this.calls.push(`${method} ${path}`);
    const url = new URL(path, 'https://k');
    let m: RegExpMatchArray | null;
    if (method === 'GET' && url.pathname === '/api/v1/pods') {
      const sel = url.searchParams.get('fieldSelector');
      const label = url.searchParams.get('labelSelector');
      const items = this.pods.filter((p) => (sel === null || `spec.nodeName=${p.spec.nodeName}` === sel)
        && (label === null || label.split(',').every((kv) => { const [k, v] = kv.split('='); return p.metadata.labels?.[k] === v; })));
      return { status: 200, body: { items } };
    }
    if (method === 'GET' && url.pathname === '/api/v1/nodes') return { status: 200, body: { items: this.nodes } };
    if ((m = url.pathname.match(/^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)(\/eviction)?$/))) {
      const i = this.pods.findIndex((p) => p.metadata.namespace === m![1] && p.metadata.name === m![2]);
      if (i < 0) return { status: 404, body: { message: 'not found' } };
      if (method === 'GET') return { status: 200, body: this.pods[i] };
      if (method === 'POST' && m[3]) {
        if (this.blocked(this.pods[i])) return { status: 429, body: { message: 'Cannot evict pod as it would violate the pod\'s disruption budget.' } };
        this.pods.splice(i, 1);
        return { status: 201, body: {} };
      }
      if (method === 'DELETE') {
        const uid = (body as { preconditions?: { uid?: string } } | undefined)?.preconditions?.uid;
        if (uid !== undefined && uid !== this.pods[i].metadata.uid) return { status: 409, body: { message: 'precondition failed' } };
        this.pods.splice(i, 1);
        return { status: 200, body: {} };
      }
    }
    if ((m = url.pathname.match(/^\/api\/v1\/nodes\/([^/]+)$/))) {
      const node = this.nodes.find((n) => n.metadata.name === m![1]);
      if (!node) return { status: 404, body: {} };
      if (method === 'PATCH') { Object.assign(node.spec, (body as { spec: object }).spec); return { status: 200, body: node }; }
      if (method === 'DELETE') { this.nodes = this.nodes.filter((n) => n !== node); return { status: 200, body: {} }; }
    }
    return { status: 500, body: { message: `fake: ${method} ${path} not handled` } };
  }

  public async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const r = await this.raw(method, path, body);
    if (r.status < 200 || r.status > 299) throw Object.assign(new Error(`${method} ${path}: HTTP ${r.status}`), { status: r.status });
    return r.body;
  }
}
