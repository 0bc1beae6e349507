/**
 * A bare Pod cannot take most changes in place: the API server refuses a new command or ports ("pod updates may not
 * change fields other than..."), and a new networks annotation is stored but never acted on, since Multus reads it
 * only when the pod starts. So every Pod multinic emits carries the annotation `multinic.dev/pod-spec` whose value
 * is `namespace/name/hash` of what it asks for; whoever applies the manifests (infra/bootstrap/apply-manifests.sh on
 * AWS, cluster/actions/apply.ts on the local cluster) deletes a running Pod whose value differs before applying,
 * and the apply creates it again. The value names its pod, so a shell finds the wanted ones with grep, no YAML parser.
 */
import { createHash } from 'node:crypto';

export const POD_SPEC_ANNOTATION = 'multinic.dev/pod-spec';

interface PodDoc {
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly labels?: unknown; readonly annotations?: Readonly<Record<string, string>> };
  readonly spec?: unknown;
}

/** `namespace/name/hash` of a Pod document: its spec, labels and annotations (but this one), 16 hex digits of sha256. */
export function podSpecValue(doc: PodDoc): string {
  const { [POD_SPEC_ANNOTATION]: _own, ...annotations } = doc.metadata?.annotations ?? {};
  const hash = createHash('sha256').update(JSON.stringify({ labels: doc.metadata?.labels ?? {}, annotations, spec: doc.spec ?? {} })).digest('hex').slice(0, 16);
  return `${doc.metadata?.namespace ?? 'default'}/${doc.metadata?.name ?? ''}/${hash}`;
}

/** The Pods to delete before an apply: those running (`namespace/name` -> live value) whose wanted value differs. */
export function podsToReplace(wanted: readonly string[], live: ReadonlyMap<string, string>): string[] {
  return wanted.flatMap((w) => {
    const pod = w.slice(0, w.lastIndexOf('/'));
    return live.has(pod) && live.get(pod) !== w ? [pod] : [];
  });
}
