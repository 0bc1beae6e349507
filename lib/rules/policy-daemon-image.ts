import { LOCAL_DAEMON_IMAGE, policyDaemonImage } from '../policy/daemon-image';
import { finding, type Rule } from './types';

/**
 * A warning, not an error: an error would refuse the default intent and every AWS intent with a network until its
 * user has built and published the image (Docker or the Go toolchain, a registry), so `synth` and `plan` would not
 * work on a fresh machine; and the security groups still enforce the rules between nodes without the daemon.
 */
export const policyDaemonImageRule: Rule = {
  id: 'multinic:PolicyDaemonImage',
  level: 'warning',
  summary: 'The intent runs on AWS with secondary networks, but the MultiNetworkPolicy daemon image is the local cluster\'s reference, which EC2 nodes cannot pull.',
  why: `No pinned upstream image of multi-networkpolicy-iptables exists; ${LOCAL_DAEMON_IMAGE} is built by cluster/build/build.sh and served only by the local cluster. On EC2 the daemon pods stay in ImagePullBackOff and the MultiNetworkPolicy objects are not enforced: inside the cluster every pod of a network reaches every other one on it (traffic between nodes is still limited by the network's security group, traffic within a node is not).`,
  fix: 'Build the image and push it to a registry your nodes can pull from (docs/network-policy.md, "Publishing the daemon image"), then set spec.policy.daemonImage to its reference with its @sha256 digest.',
  check(intent, model) {
    if (intent.spec.platform !== 'aws' || model.networks.length === 0) return [];
    if (policyDaemonImage(intent) !== LOCAL_DAEMON_IMAGE) return [];
    return [finding(this, ['spec', 'networks'], `${model.networks.length} network(s) are closed by MultiNetworkPolicy, but its daemon image ${LOCAL_DAEMON_IMAGE} exists only in the local cluster: EC2 nodes cannot pull it, so the in-cluster rules would not be enforced`)];
  },
};
