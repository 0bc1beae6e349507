import { Chart, type ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import type { Construct } from 'constructs';
import { uniqueIds } from '../../lib/model/construct-id';
import { POD_SPEC_ANNOTATION, podSpecValue } from '../../lib/pod-spec';
import type { IntentModel } from '../../lib/model/model';
import type { NetworkAttachment } from '../networks/network-attachment';
import { Workload } from './workload';

/** The annotation multus-service reads on a Service. */
export const SERVICE_NETWORK_ANNOTATION = 'k8s.v1.cni.cncf.io/service-network';

export interface WorkloadsChartProps extends ChartProps {
  readonly model: IntentModel;
  /** NADs by `namespace/name`, from the networks chart. */
  readonly attachments: ReadonlyMap<string, NetworkAttachment>;
}

/** ConfigMaps, Pods, Deployments and Services of the intent. */
export class WorkloadsChart extends Chart {
  constructor(scope: Construct, id: string, props: WorkloadsChartProps) {
    super(scope, id, props);
    const { spec } = props.model.intent;

    // Ids are `Kind-namespace-name`; when two names differ only by where the "-" falls (`a-b/c`, `a/b-c`), the
    // later one takes `Kind-namespace.name` ("." is not in DNS labels), so ids never collide.
    const idOf = <T extends { namespace: string; name: string }>(kind: (t: T) => string, items: readonly T[]) => uniqueIds(items,
      (t) => `${kind(t)}-${t.namespace}-${t.name}`, (t) => `${kind(t)}-${t.namespace}.${t.name}`);

    const configMaps = new Map<string, kplus.ConfigMap>();
    const configMapIds = idOf(() => 'ConfigMap', spec.configMaps);
    spec.configMaps.forEach((c, i) => {
      configMaps.set(`${c.namespace}/${c.name}`, new kplus.ConfigMap(this, configMapIds[i], {
        metadata: { name: c.name, namespace: c.namespace }, data: c.data,
      }));
    });

    const workloadIds = idOf((w) => w.kind, props.model.workloads.map((w) => w.workload));
    props.model.workloads.forEach((w, i) => {
      new Workload(this, workloadIds[i], { workload: w, attachments: props.attachments, configMaps });
    });

    const serviceIds = idOf(() => 'Service', spec.services);
    for (const { service: s, network, index } of props.model.services) {
      const annotations: Record<string, string> = {};
      if (s.network !== undefined) {
        const nad = network ? props.attachments.get(network.key) : undefined;
        if (!nad) throw new Error(`service network ${s.network} is not defined`); // validated before synthesis
        // Kept for multus-service; without it kube-proxy serves the Service on the cluster network
        // (multinic:ServiceNetworkNotProxied explains this to the user).
        annotations[SERVICE_NETWORK_ANNOTATION] = nad.key;
      }
      const svc = new kplus.Service(this, serviceIds[index], {
        metadata: { name: s.name, namespace: s.namespace, annotations },
        ports: s.ports.map((p) => ({ port: p.port, targetPort: p.targetPort ?? p.port, protocol: kplus.Protocol[p.protocol] })),
      });
      for (const [k, v] of Object.entries(s.selector)) svc.selectLabel(k, v);
    }
  }

  /** The chart's documents, each bare Pod stamped with what it asks for (lib/pod-spec.ts: how a changed Pod is replaced). */
  public override toJson(): any[] {
    return super.toJson().map((doc: { kind?: string; metadata?: { annotations?: Record<string, string> } }) => {
      if (doc.kind !== 'Pod') return doc;
      const metadata = { ...doc.metadata, annotations: { ...doc.metadata?.annotations, [POD_SPEC_ANNOTATION]: podSpecValue(doc) } };
      return { ...doc, metadata };
    });
  }
}
