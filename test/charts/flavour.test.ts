/**
 * What the cluster flavour changes in the charts' output: only the cluster network Multus delegates to. So the local
 * cluster (cluster/, real kubelets, a stand-in cluster network) exercises the EKS flavour's manifests too, except
 * for the name and file of that network (docs/eks.md, "On the local cluster").
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CALICO_CLUSTER_NETWORK, synthManifests } from '../../charts/app';
import { validateText } from '../../lib/intent/validate';
import { toEks, validate, yamlOf, baseIntent } from '../util/intent';

function files(intentYaml: string, options = {}): Map<string, string> {
  const r = validateText(intentYaml);
  if (!r.intent) throw new Error(r.findings.map((f) => f.message).join('; '));
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-flavour-')), 'out');
  synthManifests(r.intent, dir, {}, options);
  const out = new Map(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
  fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  return out;
}

const kubeadmYaml = (): string => yamlOf(baseIntent());
const eksYaml = (): string => { const i = baseIntent(); toEks(i); return yamlOf(i); };

describe('charts under flavour eks', () => {
  test('the eks and kubeadm forms of one intent are valid', () => {
    expect(validate(toEks).valid).toBe(true);
    expect(validate().valid).toBe(true);
  });

  test('differ only in the Multus daemon config (its checksum, the linked file): aws-cni in 10-aws.conflist instead of Calico\'s k8s-pod-network', () => {
    const k = files(kubeadmYaml());
    const e = files(eksYaml());
    expect([...e.keys()]).toEqual([...k.keys()]);
    const differing = [...k.keys()].filter((f) => k.get(f) !== e.get(f));
    expect(differing).toEqual(['0000-multus.k8s.yaml']);
    const changed = (a: string, b: string) => a.split('\n').filter((l, i) => l !== b.split('\n')[i]);
    const lines = changed(e.get('0000-multus.k8s.yaml')!, k.get('0000-multus.k8s.yaml')!);
    expect(lines.join('\n')).toMatch(/"clusterNetwork": "aws-cni"/);
    expect(lines.join('\n')).toMatch(/"readinessindicatorfile": "\/host\/etc\/cni\/net\.d\/10-aws\.conflist"/);
    // and the DaemonSet's checksum of that config, which rolls the daemon when it changes
    expect(lines[2]).toMatch(/^\s+checksum\/multus-daemon-config: [0-9a-f]{64}$/);
    // and the target of the link that makes the network's file findable by name in the daemon's confDir
    expect(lines[3]).toMatch(/^\s+- \/host\/etc\/cni\/net\.d\/10-aws\.conflist$/);
    expect(lines).toHaveLength(4);
  });

  test('with the local cluster\'s stand-in network passed in, both flavours give the same bytes', () => {
    const k = files(kubeadmYaml(), { clusterNetwork: CALICO_CLUSTER_NETWORK });
    const e = files(eksYaml(), { clusterNetwork: CALICO_CLUSTER_NETWORK });
    expect([...e.entries()]).toEqual([...k.entries()]);
  });
});
