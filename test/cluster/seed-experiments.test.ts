/**
 * Issue 19, items 1, 2, 4, 5 and 7 on the local cluster, on one box: the seed notes' working experiments (the sample
 * pod, test 7 fixed with the connectivity self-test, one network name in two namespaces: test/cluster/seed/
 * experiments.ts), then Whereabouts under load and no leaks on delete (test/cluster/seed/whereabouts.ts), whose last
 * scenario takes a worker away. Each scenario removes what it added. Items 3 and 6 need a box booted with a node held
 * back: test/cluster/seed-failures.test.ts.
 *
 * The box runs the intent `seedIntent()` picks from a probe of this kernel (test/cluster/seed/intent.ts): on a kernel
 * without ipvlan, the seed's networks as macvlan with the VPC rule off (`spec.platform: generic`), which proves
 * Multus, Whereabouts and the workloads, not the AWS data path (test/vm/vm.test.ts keeps that at the CNI level); on
 * a kernel with ipvlan, the default intent with the VPC rule on, as on AWS (docs/seed-walkthrough.md, "Which run
 * proves what").
 */
import { boxUnavailable, upSeedBox } from './seed/box';
import { experimentScenarios } from './seed/experiments';
import { seedIntent } from './seed/intent';
import { Kube } from './seed/kube';
import { modelOf, newLab } from './seed/lab';
import { whereaboutsScenarios } from './seed/whereabouts';

// Scenarios wait on the cluster (bounded by each wait); give each test room beyond jest's default.
jest.setTimeout(600_000);

const unavailable = boxUnavailable();
if (unavailable) console.warn(`test/cluster/seed-experiments: SKIPPED: ${unavailable}`);
const describeBox = unavailable ? describe.skip : describe;
const title = unavailable ? ` [skipped: ${unavailable}]` : '';

const lab = newLab();

beforeAll(async () => {
  if (unavailable) return;
  const intent = seedIntent();
  lab.box = await upSeedBox({ name: 'seed-exp', intent: intent.file });
  lab.kube = new Kube(lab.box);
  lab.model = modelOf(intent.file);
}, 660_000);

afterAll(async () => {
  lab.cleanTmp();
  if (!unavailable && lab.box) expect((await lab.box.down()).leftovers).toEqual([]);
}, 200_000);

describeBox(`the seed notes' experiments on the local cluster${title}`, () => experimentScenarios(lab));

describeBox(`Whereabouts under load and no leaks, on the local cluster${title}`, () => whereaboutsScenarios(lab));
