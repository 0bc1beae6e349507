import { VERSIONS } from '../lib/versions';

/**
 * Pinned versions and secure defaults of the AWS side, in one place: the stacks read them, the tests assert the
 * synthesized templates against them and docs/deploy.md quotes them, so a documented default cannot drift from code.
 */
export const INFRA_DEFAULTS = {
  /**
   * Canonical's SSM public parameter for the current Ubuntu 24.04 LTS (noble) amd64 AMI with a gp3 root volume. Not
   * resolved by the templates (that would replace every node whenever Canonical publishes an image): docs/deploy.md
   * reads it once to pin the `NodeAmiId` parameter. Path as published by Canonical ("Find Ubuntu images on AWS").
   */
  ubuntuAmiParameter: '/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id',
  /** Context key whose value (an AMI id) becomes the default of the `NodeAmiId` parameter. */
  amiContextKey: 'multinic:nodeAmiId',
  /** How long CloudFormation waits for a node's signal, at creation and per rolling-update batch (ISO 8601). */
  signalTimeout: 'PT45M',
  /** Seconds a terminating worker waits for the control plane's drain before its termination continues anyway. */
  drainHeartbeatSeconds: 600,
  /** Seconds `kubectl drain` may take (well inside the hook's heartbeat). */
  drainTimeoutSeconds: 300,
  /** Seconds CloudFormation waits for the manifests association to succeed on the control plane. */
  manifestsWaitSeconds: 1200,
  /** Root device of Canonical's Ubuntu AMIs. */
  rootDeviceName: '/dev/sda1',
  /** Root volume size in GiB (containerd images live there). @default 30 */
  rootVolumeGiB: 30,
  /**
   * IMDS PUT response hop limit. 1 keeps the instance credentials away from pods (their packets take one more hop);
   * no component multinic deploys reads IMDS from a pod network namespace.
   */
  imdsHopLimit: 1,
  /** Seconds a worker waits for the join data before its boot fails. */
  joinTimeoutSeconds: 1800,
  /** Lifetime of the bootstrap token the control plane publishes (kubeadm `--ttl`). */
  joinTokenTtl: '24h',
  /** How often the control plane publishes a fresh token: well inside the TTL, so a scale-out always joins. */
  joinRenewInterval: '8h',
} as const;

/**
 * Calico, installed from its upstream manifest at the tag pinned in lib/versions.ts. The control plane verifies the
 * manifest's sha256 before applying it and fails its boot (and so the deployment) on a mismatch.
 */
export const CALICO = VERSIONS.calico;

/** Tags multinic puts on what it launches; defined in lib so `multinic verify --aws` searches by the same keys. */
export { TAGS } from '../lib/model/tags';
