import { Chart, Duration, Size, type ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import type { Construct } from 'constructs';
import { type Attachment, parseAttachment } from '../../lib/model/attachment';
import { interfaceLabel, INTERFACE_LABEL_VALUE } from '../../lib/model/labels';
import type { IntentModel, ResolvedAttachment } from '../../lib/model/model';
import {
  CLIENT_ROLES, CLIENT_SCRIPT, clientEnv, clientJobName, SELFTEST_DEFAULTS, SELFTEST_IFNAME, SELFTEST_IMAGE, SELFTEST_NAMESPACE,
  SELFTEST_NETWORK_LABEL, SELFTEST_ROLE_LABEL, selftestNetworks, type ClientRole, type SelftestNetwork,
} from '../../lib/selftest';
import type { NetworkAttachment } from '../networks/network-attachment';
import { NETWORKS_ANNOTATION, networksAnnotation } from '../workloads/network-annotation';

export interface SelftestChartProps extends ChartProps {
  readonly model: IntentModel;
  /** NADs by `namespace/name`, from the networks chart. */
  readonly attachments: ReadonlyMap<string, NetworkAttachment>;
}

/** Small requests: four pods per network must fit beside the workloads on two 2-vCPU workers. */
const RESOURCES: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(10) },
  memory: { request: Size.mebibytes(32), limit: Size.mebibytes(128) },
};

/** Nothing but what ping needs: netshoot runs as root, so NET_RAW is the one capability a client keeps. */
function securityContext(ping: boolean): kplus.ContainerSecurityContextProps {
  return {
    ensureNonRoot: false, readOnlyRootFilesystem: true, privileged: false, allowPrivilegeEscalation: false,
    capabilities: { drop: [kplus.Capability.ALL], ...(ping ? { add: [kplus.Capability.NET_RAW] } : {}) },
  };
}

/**
 * The connectivity self-test (the seed notes' Test 7) for every network `selftestNetworks` covers, in namespace
 * `multinic-selftest`: per network two server Pods on different nodes (required node affinity to the master's
 * interface label, required anti-affinity between them) and two client Jobs on server A's node, one with the
 * network as net1 and one without. Each client reads the two server pods by name (its Role allows `get` on exactly
 * those pods, nothing else), pings them over eth0 and net1 and prints one line per case. No pod can exec into another.
 */
export class SelftestChart extends Chart {
  /** The networks covered, with their matrices. */
  public readonly networks: readonly SelftestNetwork[];
  public readonly serviceAccount: kplus.ServiceAccount;
  public readonly role: kplus.Role;

  constructor(scope: Construct, id: string, props: SelftestChartProps) {
    super(scope, id, props);
    const namespace = SELFTEST_NAMESPACE;
    new kplus.Namespace(this, 'Namespace', { metadata: { name: namespace } });
    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', {
      metadata: { name: 'multinic-selftest-client', namespace }, automountToken: false,
    });
    this.role = new kplus.Role(this, 'Role', { metadata: { name: 'multinic-selftest-client', namespace } });
    this.role.bind(this.serviceAccount);
    this.networks = selftestNetworks(props.model);

    for (const net of this.networks) {
      const nad = props.attachments.get(net.network.key);
      if (!nad) throw new Error(`network ${net.network.key} has no NetworkAttachmentDefinition`); // same model: a bug
      const attachment: ResolvedAttachment = {
        position: 0, text: net.network.key, attachment: parseAttachment(net.network.key, namespace) as Attachment,
        network: net.network, ifname: SELFTEST_IFNAME,
      };
      const annotations = { [NETWORKS_ANNOTATION]: networksAnnotation([attachment], props.attachments) };
      const master = net.network.master ?? '';
      const onMaster = kplus.Node.labeled(kplus.NodeLabelQuery.is(interfaceLabel(master), INTERFACE_LABEL_VALUE));

      const servers = net.servers.map((s, i) => {
        const pod = new kplus.Pod(this, `${net.id}-Server${i === 0 ? 'A' : 'B'}`, {
          metadata: { name: s.pod, namespace, annotations, labels: { [SELFTEST_NETWORK_LABEL]: net.id, [SELFTEST_ROLE_LABEL]: 'server' } },
          securityContext: { ensureNonRoot: false }, automountServiceAccountToken: false,
        });
        pod.addContainer({
          name: 'server', image: SELFTEST_IMAGE, imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT, resources: RESOURCES, securityContext: securityContext(false),
          // The kernel answers the pings; the shell only has to live, and to stop at once on delete.
          command: ['/bin/sh', '-c', 'trap : TERM INT; sleep infinity & wait'],
        });
        pod.scheduling.attract(onMaster);
        return pod;
      });
      const [serverA, ...others] = servers;
      for (const b of others) b.scheduling.separate(serverA, { topology: kplus.Topology.HOSTNAME });
      this.role.allow(['get'], ...servers);

      for (const client of CLIENT_ROLES) this.addClient(net, client, client === 'attached' ? annotations : {}, serverA);
    }
  }

  private addClient(net: SelftestNetwork, client: ClientRole, annotations: Record<string, string>, serverA: kplus.Pod): void {
    const job = new kplus.Job(this, `${net.id}-${client === 'attached' ? 'Attached' : 'Unattached'}`, {
      metadata: { name: clientJobName(net.id, client), namespace: SELFTEST_NAMESPACE },
      podMetadata: { annotations, labels: { [SELFTEST_NETWORK_LABEL]: net.id, [SELFTEST_ROLE_LABEL]: client } },
      // One pod per client: its log is the result, a retry would only hide a failure behind a second log.
      backoffLimit: 0,
      activeDeadline: Duration.seconds(SELFTEST_DEFAULTS.activeDeadlineSeconds),
      serviceAccount: this.serviceAccount, automountServiceAccountToken: true,
      securityContext: { ensureNonRoot: false },
    });
    const container = job.addContainer({
      name: 'client', image: SELFTEST_IMAGE, imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT, resources: RESOURCES, securityContext: securityContext(true),
      command: ['/bin/bash', '-c', CLIENT_SCRIPT],
    });
    for (const [k, v] of Object.entries(clientEnv(net, client))) container.env.addVariable(k, kplus.EnvValue.fromValue(v));
    container.env.addVariable('POD_NAME', kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME));
    container.env.addVariable('NODE_NAME', kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.NODE_NAME));
    job.scheduling.colocate(serverA, { topology: kplus.Topology.HOSTNAME });
  }
}
