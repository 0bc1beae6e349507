/**
 * The Amazon EKS version multinic deploys, and why (docs/eks.md, "Versions").
 *
 * - EKS keeps a minor in standard support for 14 months after its EKS release, then 12 months of paid extended
 *   support (EKS user guide, kubernetes-versions).
 * - Kubernetes 1.36 (upstream 2026-04-22) reached EKS in June 2026 (EKS Distro announcement cited in
 *   cdklabs/awscdk-asset-kubectl#2767): in standard support through the rest of 2026 and most of 2027.
 * - aws-cdk-lib 2.276.0 (`aws-eks-v2`) offers `KubernetesVersion.V1_36` and `V1_37`, but the kubectl Lambda layer on
 *   npm stops at `@aws-cdk/lambda-layer-kubectl-v36` (2.0.1, 2026-08-12; no v37 package): 1.36 is the newest minor
 *   whose manifests multinic can apply with a matching kubectl.
 * - kubectl supports one minor of skew either way, so the v36 layer also serves a 1.35 cluster.
 */
export const EKS = {
  /** The minor multinic's stacks are built and tested for. */
  defaultMinor: 36,
  /** Minors accepted with flavour eks: in EKS standard support on 2026-12 and within kubectl's skew of the layer. */
  supportedMinors: [35, 36] as readonly number[],
  /** The kubectl layer package (devDependency-free: a runtime dependency, its layer.zip is the asset). */
  kubectlLayerPackage: '@aws-cdk/lambda-layer-kubectl-v36',
} as const;

/** `1.36` of `1.36.5`. */
export function minorOf(version: string): number {
  return Number(version.split('.')[1]);
}
