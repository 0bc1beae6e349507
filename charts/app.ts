/**
 * The cdk8s app: every Kubernetes object multinic emits, from a validated intent. One chart per file, numbered so
 * `kubectl apply -f dist/` creates CRDs before the objects that need them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiObject, App, Chart, Names, YamlOutputType } from 'cdk8s';
import type { Construct } from 'constructs';
import { clusterNetwork } from '../lib/eks/cluster-network';
import { MultinicError } from '../lib/errors';
import type { NetworkIntent } from '../lib/intent/types';
import { MANAGED_BY_LABEL } from '../lib/model/labels';
import { buildModel, type IntentModel } from '../lib/model/model';
import { selftestNetworks } from '../lib/selftest/matrix';
import { VERSIONS } from '../lib/versions';
import { MultusThick, NAD_CRD_FILE } from './multus';
import { NetworksChart } from './networks/networks-chart';
import { clusterScoped } from './private/cluster-scoped';
import { committedCrd, crdSource } from './private/committed-crd';
import { chartYaml, PRERENDERED_FILE, prerenderDocs, type Prerendered } from './private/prerendered';
import { NodeReady } from './readiness';
import { SelftestChart } from './selftest/selftest-chart';
import { Whereabouts, WHEREABOUTS_CRD_FILES } from './whereabouts';
import { WorkloadsChart } from './workloads/workloads-chart';

/** The cluster network Multus delegates eth0 to: its CNI network name and the config file its node agent writes. */
export interface ClusterNetworkConfig {
  /** CNI network `name` in the config file (Multus finds the delegate by it; see `clusterNetwork` in charts/multus). */
  readonly name: string;
  /** File name in the node's `/etc/cni/net.d`, written when the primary CNI is ready on the node. */
  readonly configFile: string;
}

/** Calico, the cluster network of flavour kubeadm: `k8s-pod-network` in `10-calico.conflist`. */
export const CALICO_CLUSTER_NETWORK: ClusterNetworkConfig = { name: VERSIONS.calico.cniNetworkName, configFile: VERSIONS.calico.cniConfigFile };

/** The cluster network of the intent's flavour: Calico on kubeadm, the VPC CNI (`aws-cni` in `10-aws.conflist`) on eks. */
export function clusterNetworkOf(intent: NetworkIntent): ClusterNetworkConfig {
  const n = clusterNetwork(intent.spec.cluster.flavour, intent.spec.cluster.podCidr);
  return { name: n.name, configFile: n.conflist };
}

/** The MultiNetworkPolicy CRD of Go module multi-networkpolicy v1.0.1, made strict YAML (crds/multi-networkpolicy/README.md). */
export const MULTI_NETWORKPOLICY_CRD_FILE = 'crds/multi-networkpolicy/multi-networkpolicies.yaml';

/**
 * Multus thick plugin and its CRD, the MultiNetworkPolicy CRD, and the component that lifts each node's startup
 * taint once its networks are ready. The daemon resolves the cluster network by name (full config on DEL, multus-cni #1449) and starts serving
 * only once that network's config file exists (`readinessindicatorfile`).
 */
export class MultusChart extends Chart {
  public readonly multus: MultusThick;
  public readonly nodeReady: NodeReady;
  /** The MultiNetworkPolicy CRD (k8s.cni.cncf.io/v1beta1), from {@link MULTI_NETWORKPOLICY_CRD_FILE}. */
  public readonly multiNetworkPolicyCrd: ApiObject;
  constructor(scope: Construct, id: string, clusterNetwork: ClusterNetworkConfig = CALICO_CLUSTER_NETWORK) {
    super(scope, id);
    this.multus = new MultusThick(this, 'Multus', {
      clusterNetwork: clusterNetwork.name,
      clusterNetworkFile: clusterNetwork.configFile,
      readinessIndicatorFile: `/host/etc/cni/net.d/${clusterNetwork.configFile}`,
    });
    this.nodeReady = new NodeReady(this, 'NodeReady');
    // Here, not beside the policies (0002): a CRD must be established before objects of its kind are applied.
    this.multiNetworkPolicyCrd = clusterScoped(committedCrd(this, 'MultiNetworkPolicyCrd', MULTI_NETWORKPOLICY_CRD_FILE));
  }
}

/** Whereabouts IPAM (only when a network uses it). */
export class WhereaboutsChart extends Chart {
  public readonly whereabouts: Whereabouts;
  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.whereabouts = new Whereabouts(this, 'Whereabouts');
  }
}

/** Options of `addCharts` and `synthManifests`. */
export interface ChartOptions {
  /**
   * Add the connectivity self-test (`multinic-selftest` namespace, charts/selftest), after the workloads; left out
   * when no network has a master interface that a node group carries (nothing to test).
   * @default false
   */
  readonly withSelftest?: boolean;
  /**
   * The cluster network Multus delegates to (a local cluster without Calico passes its own).
   * @default - the intent flavour's (`clusterNetworkOf`)
   */
  readonly clusterNetwork?: ClusterNetworkConfig;
}

/** Adds every multinic chart for `model` to `app`, in apply order. */
export function addCharts(app: App, model: IntentModel, options: ChartOptions = {}): Chart[] {
  const charts: Chart[] = [new MultusChart(app, 'multus', options.clusterNetwork ?? clusterNetworkOf(model.intent))];
  if (model.networks.some((n) => n.network.ipam.type === 'whereabouts')) charts.push(new WhereaboutsChart(app, 'whereabouts'));
  const networks = new NetworksChart(app, 'networks', { model });
  const workloads = new WorkloadsChart(app, 'workloads', { model, attachments: networks.attachments });
  // No chart.addDependency: apply order is the file order (charts are numbered as created), and cdk8s links every
  // object of one chart to every object of the other for a chart dependency, which made synth quadratic.
  charts.push(networks, workloads);
  if (options.withSelftest && selftestNetworks(model).length > 0) {
    // Last: its pods need the NADs of the networks chart (apply order is file order).
    charts.push(new SelftestChart(app, 'selftest', { model, attachments: networks.attachments }));
  }
  markManaged(charts);
  return charts;
}

/** Every object carries the managed-by label: the deploy path prunes by it what the intent no longer has. */
function markManaged(charts: readonly Chart[]): void {
  for (const chart of charts) {
    for (const c of chart.node.findAll()) if (c instanceof ApiObject) c.metadata.addLabel(MANAGED_BY_LABEL.key, MANAGED_BY_LABEL.value);
  }
}

/** Every committed CRD the charts emit. */
export const COMMITTED_CRD_FILES: readonly string[] = [NAD_CRD_FILE, MULTI_NETWORKPOLICY_CRD_FILE, ...Object.values(WHEREABOUTS_CRD_FILES)];

/**
 * Renders what does not depend on the intent once, into `file` (charts/private/prerendered.ts): the committed CRDs
 * parsed, and the documents of the Multus chart (Calico's cluster network, the kubeadm flavour) and the Whereabouts
 * chart as `addCharts` emits them. `scripts/build.js` runs this after compiling; the output of a synth is the same
 * with or without it.
 */
export function writePrerendered(file: string = PRERENDERED_FILE): void {
  const app = new App();
  const charts = [new MultusChart(app, 'multus', CALICO_CLUSTER_NETWORK), new WhereaboutsChart(app, 'whereabouts')];
  markManaged(charts);
  const prerendered: Prerendered = {
    crds: Object.fromEntries(COMMITTED_CRD_FILES.map((f) => [f, crdSource(f)])),
    docs: prerenderDocs(charts.flatMap((c) => c.toJson())),
  };
  fs.writeFileSync(file, `${JSON.stringify(prerendered)}\n`);
}

/**
 * The file number of each chart `addCharts` can add, in apply order. Fixed, so a file keeps its name whether or not
 * the charts before it are emitted: an intent without Whereabouts has no `0001-whereabouts.k8s.yaml`, and its
 * networks are still `0002-networks.k8s.yaml` (docs, the deploy path and the box tests name the files).
 */
export const CHART_FILE_NUMBERS: Readonly<Record<string, number>> = { multus: 0, whereabouts: 1, networks: 2, workloads: 3, selftest: 4 };

/**
 * Synthesises `app` (FILE_PER_CHART) and numbers the files (`0000-multus.k8s.yaml`, ...), so `kubectl apply -f DIR`
 * creates the CRDs before the objects that need them: by {@link CHART_FILE_NUMBERS}, else by position in `charts`
 * (which must then be in apply order). cdk8s numbers files only when charts depend on each other, and a chart
 * dependency links every object pair across the two charts (quadratic). Writes what cdk8s' `app.synth()` writes,
 * under the numbered names, reusing prerendered documents (`chartYaml`).
 */
export function synthNumbered(app: App, charts: readonly Chart[]): void {
  fs.mkdirSync(app.outdir, { recursive: true });
  for (const chart of app.charts) {
    const i = charts.indexOf(chart);
    const n = Object.hasOwn(CHART_FILE_NUMBERS, chart.node.id) ? CHART_FILE_NUMBERS[chart.node.id] : i;
    const name = `${i < 0 ? '' : `${String(n).padStart(4, '0')}-`}${Names.toDnsLabel(chart)}${app.outputFileExtension}`;
    // chart.toJson() validates the app and resolves its dependencies first, as app.synth() does.
    fs.writeFileSync(path.join(app.outdir, name), chartYaml(chart.toJson()), { encoding: 'utf8' });
  }
}

/** Files multinic writes into an output directory; anything else there makes it refuse to replace the directory. */
export const OWNED_FILE = /(\.k8s\.yaml|^PLAN\.md)$/;

/**
 * Synthesises every manifest for a validated intent (its resolved model, from `loadValidIntent`; an intent is
 * resolved here) into `outDir`, all or nothing: the files are written to a sibling
 * directory first and swapped in by rename, so a failure leaves `outDir` exactly as it was.
 * @returns the file names written, sorted
 */
export function synthManifests(intent: NetworkIntent | IntentModel, outDir: string, extraFiles: Readonly<Record<string, string>> = {}, options: ChartOptions = {}): string[] {
  const target = path.resolve(outDir);
  if (fs.existsSync(target)) {
    if (!fs.statSync(target).isDirectory()) throw new MultinicError('OUTPUT_DIR', `${outDir} exists and is not a directory. Choose another -o DIR.`);
    const foreign = fs.readdirSync(target).filter((f) => !OWNED_FILE.test(f));
    if (foreign.length) {
      throw new MultinicError('OUTPUT_DIR', `${outDir} holds files multinic did not write (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', ...' : ''}); multinic replaces its output directory whole. Choose an empty or new -o DIR.`);
    }
  }
  const parent = path.dirname(target);
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.multinic-`));
  try {
    const app = new App({ outdir: staging, yamlOutputType: YamlOutputType.FILE_PER_CHART });
    synthNumbered(app, addCharts(app, 'spec' in intent ? buildModel(intent) : intent, options));
    for (const [name, content] of Object.entries(extraFiles)) fs.writeFileSync(path.join(staging, name), content);
    const written = fs.readdirSync(staging).sort();
    const old = fs.existsSync(target) ? `${staging}.old` : undefined;
    if (old) fs.renameSync(target, old);
    fs.renameSync(staging, target);
    if (old) fs.rmSync(old, { recursive: true, force: true });
    return written;
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
}
