/**
 * Issue 19, items 1, 2 and 7: the seed notes' working experiments, each asserting what the cluster itself does (pod
 * phase and node, `kubectl exec` output, network-status, the connectivity self-test's verdicts) beside what multinic
 * predicted. Scenarios of test/cluster/seed-experiments.test.ts (one box); each removes what it added.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import type { ResolvedWorkload } from '../../../lib/model/model';
import { SELFTEST_IMAGE, SELFTEST_NAMESPACE, SELFTEST_ROLE_LABEL, SELFTEST_NETWORK_LABEL, selftestNetworks } from '../../../lib/selftest';
import { Ipv4Address } from '../../../lib/net/ipv4';
import type { SelftestRow } from '../../../lib/selftest/report';
import { intendedAddresses } from '../../../lib/verify/ranges';
import { NETWORK_STATUS_ANNOTATION } from '../../../lib/verify/network-status';
import { NETWORKS_ANNOTATION } from '../../../charts/workloads/network-annotation';
import { SEED_FIXTURES } from '../../seed/failures';
import { boxUnavailable, imageLacks } from './box';
import { waitFor, type Pod } from './kube';
import { samplePod, test7Parts } from './intent';
import type { SeedLab } from './lab';

// The self-test client is a bash script using jq (lib/selftest/client-script.ts); the box's stand-in for its image
// may lack them (cluster/build/images.sh).
const unavailable = boxUnavailable();
const selftestLacks = unavailable ? [] : imageLacks(SELFTEST_IMAGE, ['bash', 'jq', 'curl', 'ping', 'ip', 'awk']) ?? [];
const selftestSkip = selftestLacks.length > 0
  ? ` [skipped: the box's ${SELFTEST_IMAGE} has no ${selftestLacks.join(', ')}, which the self-test client needs: add them to the tools image in cluster/build/images.sh]`
  : '';

/** Namespace of the self-test scenario's probe pods (no MultiNetworkPolicy selects pods there, as in multinic-selftest). */
const PROBE_NAMESPACE = 'seed-selftest-probe';

/** The address range multinic intends for attachment `n` of workload `w`. */
function intended(lab: SeedLab, w: ResolvedWorkload, n = 0) {
  const net = w.attachments[n].network!;
  return intendedAddresses(net.network, net.index, lab.model.intent.spec.subnets, net.nodeGroups);
}

/** The scenarios of items 1, 2 and 7, as jest tests in the current describe block. */
export function experimentScenarios(lab: SeedLab): void {
  test('1. the sample pod: net1 inside the pod has an address of the intent\'s range, and network-status names it', async () => {
    // GIVEN the intent's sample pod (the notes' multus-sample-pod) and what multinic intends for its network
    const w = samplePod(lab.model);
    const net = w.attachments[0].network!;
    // WHEN it runs on the box
    const pod = await lab.kube.running(w.workload.namespace, w.workload.name);
    // THEN `ip -o -4 addr` inside it shows net1 with an address of the intended range (the notes' `ip a`)
    const out = lab.kube.exec(w.workload.namespace, w.workload.name, ['ip', '-o', '-4', 'addr', 'show', 'dev', 'net1']);
    expect(out.status).toBe(0);
    const address = /\binet (\d+\.\d+\.\d+\.\d+)\/\d+/.exec(out.stdout)?.[1];
    expect(address).toBeDefined();
    expect(intended(lab, w).contains(Ipv4Address.parse(address!))).toBe(true);
    // AND its network-status names the network on net1 with that address
    expect(lab.kube.networkStatus(pod).filter((e) => !e.default)).toEqual([expect.objectContaining({ name: net.key, interface: 'net1', ips: [address] })]);
    // AND the pod runs on a node labelled with the network's interface, as multinic's affinity asks
    const node = lab.kube.json<{ metadata: { labels: Record<string, string> } }>(['get', 'node', pod.spec.nodeName!]);
    expect(node.metadata.labels[`multinic.dev/interface-${net.master}`]).toBe('true');
  });

  describe('2. test 7, fixed', () => {
    // The notes' Red Hat demo: the Deployment serving the ConfigMap page, its network, the two clients.
    const parts = () => test7Parts(lab.model);

    test('the replicas land on different workers, each with net1 from the intended range', async () => {
      const { deploy, ns, selector } = parts();
      const pods = await waitFor(`${deploy.podCount} replicas Running`, 120_000, () => {
        const p = lab.kube.pods(ns, selector).filter((x) => x.status.phase === 'Running');
        return p.length === deploy.podCount ? p : undefined;
      });
      expect(new Set(pods.map((p) => p.spec.nodeName)).size).toBe(pods.length);
      for (const p of pods) expect(intended(lab, deploy).contains(Ipv4Address.parse(lab.kube.address(p)!))).toBe(true);
    });

    test('the client with the network reaches both replicas over net1 and gets the page; the notes\' cross-node failure is gone', async () => {
      const { ns, client, selector, page } = parts();
      const c = await lab.kube.running(ns, client.workload.name);
      const replicas = lab.kube.pods(ns, selector);
      // (one replica shares the client's node, the other does not: both cases of the notes' test 1 and 2)
      expect(replicas.map((p) => p.spec.nodeName === c.spec.nodeName).sort()).toEqual([false, true]);
      for (const r of replicas) {
        const ip = lab.kube.address(r)!;
        const ping = lab.kube.exec(ns, client.workload.name, ['ping', '-I', 'net1', '-c', '2', '-W', '1', ip]);
        expect([r.spec.nodeName, ping.status]).toEqual([r.spec.nodeName, 0]);
        const curl = lab.kube.exec(ns, client.workload.name, ['curl', '-sS', '--max-time', '5', '--interface', 'net1', `http://${ip}/`]);
        expect(curl.stdout).toBe(page);
      }
    });

    test('the client without the network has no net1, and cannot reach the replicas\' net1 addresses', async () => {
      const { ns, nonet, selector } = parts();
      await lab.kube.running(ns, nonet.workload.name);
      expect(lab.kube.exec(ns, nonet.workload.name, ['ip', 'link', 'show', 'net1']).status).not.toBe(0);
      for (const r of lab.kube.pods(ns, selector)) {
        expect(lab.kube.exec(ns, nonet.workload.name, ['ping', '-c', '1', '-W', '1', lab.kube.address(r)!]).status).not.toBe(0);
      }
    });

    (selftestSkip ? test.skip : test)(`the connectivity self-test multinic emits runs on the box, and its verdicts equal what pings show${selftestSkip}`, async () => {
      // GIVEN a box whose VPC rule is on exactly when the intent says the networks run on AWS, so that multinic's
      // expectations for the intent's spec.platform are the ones to hold the box to
      const platform = lab.model.intent.spec.platform;
      expect([platform, lab.box.vpcRule.loaded()]).toEqual([platform, platform === 'aws']);
      // AND the self-test synthesised from the box's intent and applied
      const out = join(lab.tmpDir('multinic-seed-selftest-'), 'dist');
      expect(lab.box.multinic(['synth', '-i', lab.box.intent, '--with-selftest', '-o', out]).status).toBe(0);
      const manifest = readFileSync(join(out, '0004-selftest.k8s.yaml'), 'utf8');
      lab.kube.apply(manifest);
      let probes = '';
      try {
        // WHEN every client Job has finished
        const networks = selftestNetworks(lab.model);
        await waitFor('every self-test client to finish', 300_000, () => {
          const clients = lab.kube.pods(SELFTEST_NAMESPACE, `${SELFTEST_ROLE_LABEL}!=server`);
          return clients.length >= networks.length * 2 && clients.every((p) => p.status.phase === 'Succeeded' || p.status.phase === 'Failed') ? clients : undefined;
        }, 2000);
        const r = lab.box.multinic(['verify', '--selftest', '-i', lab.box.intent, '--kubeconfig', lab.box.kubeconfig, '--json']);
        const report = JSON.parse(r.stdout) as { rows: SelftestRow[] };
        // THEN every case ran, and each result is what multinic expected (spec.platform of the box's intent: generic
        // here, VPC rule off; aws on a kernel with ipvlan, VPC rule on), except host-local across nodes over net1:
        // every node hands out the same range, so that verdict turns on which addresses the box holds, checked below
        const hostLocal = new Set(networks.filter((n) => n.network.network.ipam.type === 'host-local').map((n) => n.network.key));
        const hostLocalAcross = (x: SelftestRow) => hostLocal.has(x.network) && x.via === 'net1' && x.sameNode === 'no' && x.client === 'attached';
        expect(report.rows.filter((x) => x.result === '-')).toEqual([]);
        expect(report.rows.filter((x) => x.status !== 'ok' && !hostLocalAcross(x))).toEqual([]);
        const crossing = networks.filter((x) => x.servers.length === 2);
        const parts = crossing.map((n) => {
          const pods = lab.kube.pods(SELFTEST_NAMESPACE, `${SELFTEST_NETWORK_LABEL}=${n.id}`);
          const a = pods.find((p) => p.metadata.name === n.servers[0].pod)!;
          const b = pods.find((p) => p.metadata.name === n.servers[1].pod)!;
          const client = pods.find((p) => p.metadata.labels?.[SELFTEST_ROLE_LABEL] === 'attached')!;
          const row = report.rows.find((x) => x.network === n.network.key && x.client === 'attached' && x.via === 'net1' && x.sameNode === 'no')!;
          // (the self-test's layout: the client on server A's node, server B on another)
          expect([n.network.key, client.spec.nodeName, b.spec.nodeName === a.spec.nodeName]).toEqual([n.network.key, a.spec.nodeName, false]);
          return { n, a, b, client, row };
        });
        // AND each cross-node verdict over net1 equals what our own ping shows. Addresses unique in the cluster
        // (Whereabouts, eni-prefix): a probe pod like the attached client (the same network as net1, on the client's
        // node, in a namespace no MultiNetworkPolicy selects, with ping's NET_RAW, which the servers lack) pings server
        // B's net1 address, and the answer must come from server B's own MAC (its network-status)
        const unique = parts.filter((x) => !hostLocal.has(x.n.network.key));
        probes = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: PROBE_NAMESPACE } }, ...unique.map((x) => ({
          apiVersion: 'v1', kind: 'Pod',
          metadata: { name: `probe-${x.n.id}`, namespace: PROBE_NAMESPACE, annotations: { [NETWORKS_ANNOTATION]: x.client.metadata.annotations![NETWORKS_ANNOTATION] } },
          spec: { nodeSelector: { 'kubernetes.io/hostname': x.client.spec.nodeName }, terminationGracePeriodSeconds: 1,
            containers: [{ name: 'probe', image: SELFTEST_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['/bin/sh', '-c', 'trap "exit 0" TERM; sleep infinity & wait'] }] },
        }))].map((d) => stringify(d)).join('---\n');
        lab.kube.apply(probes);
        for (const x of unique) {
          await lab.kube.running(PROBE_NAMESPACE, `probe-${x.n.id}`);
          const target = lab.kube.address(x.b)!;
          const mac = lab.kube.networkStatus(x.b).find((e) => e.interface === 'net1')?.mac;
          const ping = lab.kube.exec(PROBE_NAMESPACE, `probe-${x.n.id}`, ['sh', '-c', `ping -I net1 -c 3 -W 1 ${target} > /dev/null && ip neigh show ${target} dev net1`]);
          const ours = ping.status === 0 && mac !== undefined && ping.stdout.toLowerCase().includes(`lladdr ${mac.toLowerCase()}`) ? 'pass' : 'fail';
          expect([x.n.network.key, `-> server B ${target}`, x.row.result]).toEqual([x.n.network.key, `-> server B ${target}`, ours]);
        }
        // host-local: every node hands out the same range (multinic:HostLocalAcrossNodes). A ping of ours cannot stand
        // in for the client's (it is gone with its address); what the box holds says what its ping had to meet: server
        // B's address held on the client's node (by the client itself, too) is answered there, by the wrong pod (fail,
        // naming who answered); the client's address held on server B's node by another pod takes B's reply (fail);
        // else the ping crosses (pass: a network that carries any MAC and address, the VPC rule off)
        const live = lab.kube.json<{ items: Pod[] }>(['get', 'pods', '-A']).items.filter((p) => p.status.phase === 'Running');
        for (const { n, b, client, row } of parts.filter((x) => hostLocal.has(x.n.network.key))) {
          // (pods on the host's network, such as the daemons, have no network-status: they hold no such address)
          const heldOn = (node: string | undefined, except?: string) => [...live, client]
            .filter((p) => p.spec.nodeName === node && p.metadata.name !== except && p.metadata.annotations?.[NETWORK_STATUS_ANNOTATION] !== undefined)
            .flatMap((p) => lab.kube.networkStatus(p).filter((e) => e.name === n.network.key).flatMap((e) => e.ips));
          const x = lab.kube.address(client)!;
          const y = lab.kube.address(b)!;
          const collision = heldOn(client.spec.nodeName).includes(y);
          const predicted = collision || heldOn(b.spec.nodeName, b.metadata.name).includes(x) ? 'fail' : 'pass';
          expect([n.network.key, `client ${x} -> server B ${y}`, row.result]).toEqual([n.network.key, `client ${x} -> server B ${y}`, predicted]);
          // AND when B's address is the client's own, the self-test names it (busybox ping answers it; iputils does not)
          if (y === x) expect([undefined, 'self']).toContain(row.answered);
          // AND the status says the verdict against multinic's expectation (fail: multinic:HostLocalAcrossNodes)
          expect(row.status).toBe(row.result === row.expected ? 'ok' : 'fail');
          // AND both nodes hand out the one intended range
          const range = intendedAddresses(n.network.network, n.network.index, lab.model.intent.spec.subnets, n.network.nodeGroups);
          expect([x, y].filter((ip) => !range.contains(Ipv4Address.parse(ip)))).toEqual([]);
        }
      } finally {
        lab.kube.delete(manifest);
        if (probes) lab.kube.delete(probes);
      }
    });
  });

  describe('7. one network name in two namespaces', () => {
    test('with spec.config, both work on the same node, each with its own range', async () => {
      // GIVEN the working pair, synthesised by multinic, both pods pinned to one worker
      const out = join(lab.tmpDir('multinic-seed-names-'), 'dist');
      expect(lab.box.multinic(['synth', '-i', join(SEED_FIXTURES, 'same-name-two-namespaces.intent.yaml'), '-o', out]).status).toBe(0);
      const node = lab.box.workers[0];
      // (only the objects in the two namespaces: the namespaces and the kube-system daemons are the box's own, so
      // that cleaning up cannot delete them)
      const docs = ['0002-networks.k8s.yaml', '0003-workloads.k8s.yaml']
        .flatMap((f) => parseAllDocuments(readFileSync(join(out, f), 'utf8')).map((d) => d.toJS() as { kind: string; metadata: { namespace?: string }; spec?: Record<string, unknown> }))
        .filter((d) => d.kind !== 'Namespace' && ['dcjeon', 'redhet-demo'].includes(d.metadata.namespace ?? ''));
      for (const d of docs) if (d.kind === 'Pod') d.spec = { ...d.spec, nodeSelector: { 'kubernetes.io/hostname': node } };
      const text = docs.map((d) => stringify(d)).join('---\n');
      lab.kube.apply(text);
      try {
        // WHEN both run
        const dcjeon = await lab.kube.running('dcjeon', 'lab-client');
        const redhet = await lab.kube.running('redhet-demo', 'lab-client');
        // THEN on the same node, each attached to its own namespace's lab-net, with an address of that network's range
        expect([dcjeon.spec.nodeName, redhet.spec.nodeName]).toEqual([node, node]);
        expect(lab.kube.networkStatus(dcjeon).find((e) => e.interface === 'net1')?.name).toBe('dcjeon/lab-net');
        expect(lab.kube.networkStatus(redhet).find((e) => e.interface === 'net1')?.name).toBe('redhet-demo/lab-net');
        expect(lab.kube.address(dcjeon)).toMatch(/^10\.4\.128\./);
        expect(lab.kube.address(redhet)).toMatch(/^10\.2\.130\./);
      } finally {
        lab.kube.delete(text);
      }
    });

    test('without spec.config, the box shows why validation refuses the pair: Multus gives both the file that sorts first', async () => {
      // GIVEN on one node two per-node files, as multinic-eni.sh writes them, whose CNI name is the same "pods", with
      // different ranges, and a NAD without spec.config of that name in each namespace
      const node = lab.box.workers[0];
      const conf = (range: string) => JSON.stringify({ cniVersion: '1.0.0', name: 'pods', type: 'macvlan', master: 'multus0', mode: 'bridge',
        ipam: { type: 'host-local', ranges: [[{ subnet: '10.77.0.0/16', rangeStart: `10.77.${range}.10`, rangeEnd: `10.77.${range}.20` }]] } });
      const dir = '/etc/cni/multus/net.d';
      const files = { [`${dir}/dcjeon-pods.conf`]: conf('1'), [`${dir}/redhet-demo-pods.conf`]: conf('2') };
      const write = Object.entries(files).map(([f, c]) => `printf '%s' '${c}' > ${f}`).join(' && ');
      expect(lab.box.onNode(node, `mkdir -p ${dir} && ${write}`).status).toBe(0);
      const text = ['dcjeon', 'redhet-demo'].flatMap((ns) => [
        { apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name: 'pods', namespace: ns } },
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pods-client', namespace: ns, annotations: { 'k8s.v1.cni.cncf.io/networks': 'pods' } },
          spec: { nodeSelector: { 'kubernetes.io/hostname': node }, terminationGracePeriodSeconds: 1,
            containers: [{ name: 'main', image: 'docker.io/nicolaka/netshoot:v0.13', imagePullPolicy: 'IfNotPresent', command: ['sleep', 'infinity'] }] } },
      ]).map((d) => stringify(d)).join('---\n');
      lab.kube.apply(text);
      try {
        const dcjeon = await lab.kube.running('dcjeon', 'pods-client');
        const redhet = await lab.kube.running('redhet-demo', 'pods-client');
        // THEN both pods got their address from dcjeon-pods.conf (10.77.1.x): redhet-demo's own file is never used
        expect(lab.kube.address(dcjeon)).toMatch(/^10\.77\.1\./);
        expect(lab.kube.address(redhet)).toMatch(/^10\.77\.1\./);
        // AND multinic refuses such a pair before it reaches a node
        const v = lab.box.multinic(['validate', '-i', join(SEED_FIXTURES, '..', 'invalid', 'network-per-node-same-name.yaml')]);
        expect([v.status, v.stderr.includes('multinic:PerNodeNetworkNameClash')]).toEqual([1, true]);
      } finally {
        lab.kube.delete(text);
        lab.box.onNode(node, `rm -f ${Object.keys(files).join(' ')}`);
      }
    });
  });
}
