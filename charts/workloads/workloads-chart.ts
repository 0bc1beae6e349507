import { Chart, type ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import type { Construct } from 'constructs';
import { parseAttachment } from '../../lib/model/attachment';
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

    const configMaps = new Map<string, kplus.ConfigMap>();
    for (const c of spec.configMaps) {
      configMaps.set(`${c.namespace}/${c.name}`, new kplus.ConfigMap(this, `ConfigMap-${c.namespace}-${c.name}`, {
        metadata: { name: c.name, namespace: c.namespace }, data: c.data,
      }));
    }

    for (const w of props.model.workloads) {
      new Workload(this, `${w.workload.kind}-${w.workload.namespace}-${w.workload.name}`, { workload: w, attachments: props.attachments, configMaps });
    }

    for (const s of spec.services) {
      const annotations: Record<string, string> = {};
      if (s.network !== undefined) {
        const a = parseAttachment(s.network, s.namespace);
        const nad = typeof a === 'string' ? undefined : props.attachments.get(a.key);
        if (!nad) throw new Error(`service network ${s.network} is not defined`); // validated before synthesis
        // Kept for multus-service; without it kube-proxy serves the Service on the cluster network
        // (multinic:ServiceNetworkNotProxied explains this to the user).
        annotations[SERVICE_NETWORK_ANNOTATION] = nad.key;
      }
      const svc = new kplus.Service(this, `Service-${s.namespace}-${s.name}`, {
        metadata: { name: s.name, namespace: s.namespace, annotations },
        ports: s.ports.map((p) => ({ port: p.port, targetPort: p.targetPort ?? p.port, protocol: kplus.Protocol[p.protocol] })),
      });
      for (const [k, v] of Object.entries(s.selector)) svc.selectLabel(k, v);
    }
  }
}
