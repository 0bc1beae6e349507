/**
 * The parts of the diff that only the intent holds (the plan does not show them): a workload's container and labels,
 * Services and ConfigMaps. A pull request that changes an image, a port or a page must not read "No semantic changes".
 */
import type { ConfigMapSpec, NetworkIntent, Service, Workload } from '../intent/types';
import { fieldChanges, kindOf, pairBy } from './fields';
import type { Change } from './types';

const keyOf = (o: { readonly namespace: string; readonly name: string }): string => `${o.namespace}/${o.name}`;

/** A workload's fields that the plan does not compare (kind, networks and replicas are the plan's): labels and container. */
export function workloadSpecChanges(a: Workload, b: Workload): string[] {
  return fieldChanges({ labels: a.labels, container: a.container }, { labels: b.labels, container: b.container }, '', ['container']);
}

/** The workloads of an intent by `namespace/name`. */
export function workloadsOf(intent: NetworkIntent | undefined): Map<string, Workload> {
  return new Map((intent?.spec.workloads ?? []).map((w) => [keyOf(w), w]));
}

const portsText = (s: Service): string => s.ports.map((p) => `${p.port}${p.targetPort !== undefined && p.targetPort !== p.port ? `->${p.targetPort}` : ''}/${p.protocol}`).join(', ');
const selectorText = (s: Service): string => Object.entries(s.selector).map(([k, v]) => `${k}=${v}`).join(',');

/** Services added, removed or changed (ports, selector, the secondary network they are meant for). */
export function serviceChanges(base: NetworkIntent | undefined, head: NetworkIntent): Change[] {
  return pairBy(base?.spec.services ?? [], head.spec.services, keyOf).flatMap(([key, a, b]): Change[] => {
    const kind = kindOf(a, b);
    if (!a || !b) {
      const s = (a ?? b) as Service;
      return [{
        subject: 'service', kind, key,
        details: [`ports ${portsText(s)}, selector ${selectorText(s)}${s.network ? `, meant for network ${s.network}` : ''}`],
        effect: kind === 'added' ? 'New Service (kube-proxy serves it on the cluster network).' : 'Service deleted: its ClusterIP stops answering.',
        replaces: [],
      }];
    }
    const details = fieldChanges({ ports: portsText(a), selector: selectorText(a), network: a.network }, { ports: portsText(b), selector: selectorText(b), network: b.network });
    if (!details.length) return [];
    return [{ subject: 'service', kind, key, details, effect: 'Service updated in place: same ClusterIP, kube-proxy follows within seconds.', replaces: [] }];
  });
}

/** ConfigMaps added, removed or changed, key by key (values are not shown: a page or a config file is long). */
export function configMapChanges(base: NetworkIntent | undefined, head: NetworkIntent): Change[] {
  return pairBy(base?.spec.configMaps ?? [], head.spec.configMaps, keyOf).flatMap(([key, a, b]): Change[] => {
    const kind = kindOf(a, b);
    if (!a || !b) {
      const c = (a ?? b) as ConfigMapSpec;
      return [{
        subject: 'configMap', kind, key, details: [`keys: ${Object.keys(c.data).join(', ') || 'none'}`],
        effect: kind === 'added' ? 'New ConfigMap.' : 'ConfigMap deleted: pods that mount it no longer start.', replaces: [],
      }];
    }
    const keys = [...new Set([...Object.keys(a.data), ...Object.keys(b.data)])];
    const details = keys.flatMap((k) => {
      const [x, y] = [a.data[k], b.data[k]];
      if (x === y) return [];
      if (x === undefined) return [`${k}: added (${y.length} characters)`];
      if (y === undefined) return [`${k}: removed`];
      return [`${k}: changed (${x.length} -> ${y.length} characters)`];
    });
    if (!details.length) return [];
    return [{
      subject: 'configMap', kind, key, details,
      effect: 'ConfigMap updated: the kubelet refreshes mounted files within about a minute; a process that read them at start must be restarted.',
      replaces: [],
    }];
  });
}
