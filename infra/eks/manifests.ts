/**
 * The charts' output applied to the EKS cluster on every deploy: one `KubernetesManifest` (the kubectl handler of
 * aws-eks-v2, `kubectl apply` with pruning) per `*.k8s.yaml` file, in file order, each waiting for the one before
 * (the CRDs of 0000-multus and 0001-whereabouts before the objects that use them).
 *
 * Why this and not the kubeadm path's mechanism (the control plane applies an S3 asset at boot): on EKS there is no
 * control-plane instance of ours to run kubectl, and a node's user data runs once per node, not per deploy. The
 * kubectl handler runs at every deployment whose manifests changed and deletes what a change removes (prune), so
 * the cluster follows the intent. It reads the same files `multinic synth` writes, so the local cluster and the
 * docs apply exactly what EKS gets. A file with bare Pods is preceded by a Pod replacement (infra/eks/pod-replacement.ts),
 * as on kubeadm.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { parseAllDocuments } from 'yaml';
import { MultinicError } from '../../lib/errors';
import { type PodReplacement, wantedPodSpecs } from './pod-replacement';

/** The manifest files of `dir`, in apply order, with their objects. */
export function readManifests(dir: string): Array<{ readonly file: string; readonly objects: Array<Record<string, unknown>> }> {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.k8s.yaml')).sort();
  if (files.length === 0) throw new MultinicError('NO_MANIFESTS', `${dir} holds no *.k8s.yaml manifests; run the charts first (multinic synth)`);
  return files.map((file) => ({
    file,
    objects: parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8'))
      .map((d) => d.toJS() as Record<string, unknown> | null)
      .filter((o): o is Record<string, unknown> => o !== null && typeof o === 'object'),
  }));
}

export interface ClusterManifestsProps {
  readonly cluster: eks.ICluster;
  readonly manifestsDir: string;
  /**
   * Deletes changed bare Pods before the file that holds them is applied (lib/pod-spec.ts).
   * @default - none: a changed Pod fails its file's apply
   */
  readonly podReplacement?: PodReplacement;
}

export class ClusterManifests extends Construct {
  public readonly manifests: readonly eks.KubernetesManifest[];

  constructor(scope: Construct, id: string, props: ClusterManifestsProps) {
    super(scope, id);
    const out: eks.KubernetesManifest[] = [];
    for (const { file, objects } of readManifests(props.manifestsDir)) {
      const id = file.replace(/\.k8s\.yaml$/, '').replace(/[^A-Za-z0-9]/g, '');
      const wanted = wantedPodSpecs(objects);
      // The file's changed Pods go first (after the files before it), then the file is applied.
      const replace = props.podReplacement !== undefined && wanted.length > 0 ? props.podReplacement.forPods(`Pods${id}`, wanted) : undefined;
      const m = new eks.KubernetesManifest(this, id, {
        cluster: props.cluster,
        manifest: objects,
        // Objects the previous deployment applied and this one no longer has are deleted.
        prune: true,
        // The charts own these objects; a deploy takes them over from a hand-applied copy.
        overwrite: true,
      });
      const previous = out.at(-1);
      if (previous) (replace ?? m).node.addDependency(previous);
      if (replace) m.node.addDependency(replace);
      out.push(m);
    }
    this.manifests = out;
  }
}
