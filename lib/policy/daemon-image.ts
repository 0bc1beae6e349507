/**
 * The image of the multi-networkpolicy-iptables daemon: `spec.policy.daemonImage` when set, else the reference the
 * local cluster builds and serves (VERSIONS.multiNetworkPolicy.image), which no registry on the Internet holds.
 */
import type { NetworkIntent } from '../intent/types';
import { VERSIONS } from '../versions';

/** The reference `cluster/build/build.sh` tags the daemon's image with; only the local cluster serves it. */
export const LOCAL_DAEMON_IMAGE = VERSIONS.multiNetworkPolicy.image;

/** Registry hosts of private Amazon ECR repositories (`<account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]`). */
export const PRIVATE_ECR_HOST = /^[0-9]{12}\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\//;

/** The daemon image the charts emit for `intent`. */
export function policyDaemonImage(intent: NetworkIntent): string {
  return intent.spec.policy?.daemonImage ?? LOCAL_DAEMON_IMAGE;
}
