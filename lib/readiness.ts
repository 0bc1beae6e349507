/**
 * The contract that keeps a pod from ever starting on a node whose secondary networks are not ready.
 *
 * Every node registers with {@link NETWORKS_NOT_READY_TAINT} (kubeadm `nodeRegistration.taints` on AWS, the kubelet's
 * `--register-with-taints` in the local cluster). Pods without a toleration for it are not scheduled there. The taint
 * is removed only when both hold on that node:
 * - the node's in-guest ENI setup has completed (it writes {@link ENI_READY_MARKER} last), and
 * - Multus is running there and has written its configuration in front of the cluster network's.
 *
 * The components that must run before that (the cluster network, kube-proxy, Multus, Whereabouts) tolerate it.
 */
import { ENI_READY_PATH } from './node/eni-contract';
export const NETWORKS_NOT_READY_TAINT = {
  key: 'multinic.dev/networks-not-ready',
  value: 'true',
  effect: 'NoSchedule',
} as const;

/**
 * File the in-guest ENI setup writes once every secondary interface has its address, routes and per-node files
 * (owned by lib/node/eni-contract.ts, which the script's constants are generated from).
 */
export const ENI_READY_MARKER = ENI_READY_PATH;
