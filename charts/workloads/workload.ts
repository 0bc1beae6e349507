import { ApiObject, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { interfaceLabel, INTERFACE_LABEL_VALUE } from '../../lib/model/labels';
import type { ResolvedWorkload } from '../../lib/model/model';
import type { NetworkAttachment } from '../networks/network-attachment';
import { NETWORKS_ANNOTATION, networksAnnotation } from './network-annotation';

export interface WorkloadProps {
  readonly workload: ResolvedWorkload;
  /** NADs by `namespace/name`. */
  readonly attachments: ReadonlyMap<string, NetworkAttachment>;
  /** ConfigMaps by `namespace/name`. */
  readonly configMaps: ReadonlyMap<string, kplus.ConfigMap>;
}

/**
 * A Pod or Deployment from the intent: the networks annotation built from the NAD objects, and required node
 * affinity to the nodes that carry every master interface its networks use (so it never lands on a node without
 * its master: the seed's pod on a node without eth1).
 */
export class Workload extends Construct {
  /** The cdk8s-plus resource (Pod or Deployment). */
  public readonly resource: kplus.Pod | kplus.Deployment;

  constructor(scope: Construct, id: string, props: WorkloadProps) {
    super(scope, id);
    const { workload: w } = props.workload;
    const annotations: Record<string, string> = props.workload.attachments.length
      ? { [NETWORKS_ANNOTATION]: networksAnnotation(props.workload.attachments, props.attachments) }
      : {};
    const podMetadata = { labels: { ...w.labels }, annotations };
    const base = { securityContext: { ensureNonRoot: false }, automountServiceAccountToken: false };
    const metadata = { name: w.name, namespace: w.namespace, labels: { ...w.labels } };

    const pod = w.kind === 'Pod'
      ? new kplus.Pod(this, 'Resource', { ...base, metadata: { ...metadata, annotations } })
      : new kplus.Deployment(this, 'Resource', { ...base, metadata, replicas: w.replicas, podMetadata });
    this.resource = pod;

    const container = pod.addContainer({
      name: 'main',
      image: w.container.image,
      command: w.container.command,
      ports: w.container.ports.map((number) => ({ number })),
      // Small, explicit requests: cdk8s-plus defaults (1 CPU, 512Mi each) would not fit the seed's pods on two
      // 2-vCPU workers. Memory is limited, CPU is not (throttling sample tools helps no one).
      resources: {
        cpu: { request: kplus.Cpu.millis(50) },
        memory: { request: Size.mebibytes(64), limit: Size.mebibytes(256) },
      },
      securityContext: {
        ensureNonRoot: false,
        // Demo images write to their filesystems (nginx caches); nothing here needs a read-only root.
        readOnlyRootFilesystem: false,
        privileged: w.container.privileged,
        allowPrivilegeEscalation: w.container.privileged,
      },
    });
    // One volume per ConfigMap, however often it is mounted (at different paths: multinic:DuplicateMountPath).
    const volumes = new Map<string, kplus.Volume>();
    w.container.mounts.forEach((m) => {
      const cm = props.configMaps.get(`${w.namespace}/${m.configMap}`);
      if (!cm) throw new Error(`ConfigMap ${w.namespace}/${m.configMap} is not defined`); // validated before synthesis
      const volume = volumes.get(m.configMap) ?? kplus.Volume.fromConfigMap(this, `Volume-${m.configMap}`, cm);
      volumes.set(m.configMap, volume);
      container.mount(m.path, volume);
    });

    const masters = [...new Set(props.workload.attachments.flatMap((a) => (a.network?.master ? [a.network.master] : [])))].sort();
    for (const master of masters) {
      pod.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.is(interfaceLabel(master), INTERFACE_LABEL_VALUE)));
    }
    // The seed's Deployment of two replicas meant one per worker (Worker1, Worker2). A preference (pod
    // anti-affinity) is not enough: dist/ is applied while the workers still carry the startup taint, and the first
    // worker whose networks are ready took both replicas (seen on the local cluster). A hard spread over the nodes
    // that carry the interfaces (nodeAffinityPolicy Honor), counting tainted ones too (nodeTaintsPolicy Ignore),
    // makes the second replica wait for its own node instead; maxSkew 1 still schedules more replicas than nodes.
    // A node that carries the interface but never takes pods (cordoned, not ready) holds replicas back until it is
    // deleted, as infra/bootstrap/drain.sh does after a drain.
    if (pod instanceof kplus.Deployment && w.kind === 'Deployment' && w.replicas > 1) {
      ApiObject.of(pod).addJsonPatch(JsonPatch.add('/spec/template/spec/topologySpreadConstraints', [{
        maxSkew: 1,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'DoNotSchedule',
        labelSelector: { matchLabels: { ...pod.matchLabels } },
        // Only this rollout's pods count (a rolling update's old ReplicaSet does not block the new one).
        matchLabelKeys: ['pod-template-hash'],
        nodeAffinityPolicy: 'Honor',
        nodeTaintsPolicy: 'Ignore',
      }]));
    }
  }
}
