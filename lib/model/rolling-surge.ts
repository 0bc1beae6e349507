/**
 * How many extra nodes a group runs during a rolling update. Worker groups launch the new node before an old one is
 * drained and terminated (MaxSize = count + 1 on both flavours); the kubeadm control plane is never rolled. The
 * subnets must hold the extra node's ENI addresses and prefixes too, so the infra stacks, the prefix reservations
 * and the plan's subnet usage all read this one function.
 */
import type { NodeGroup } from '../intent/types';

/** Extra nodes of `group` while it rolls: 1 for workers, 0 for the control plane. */
export function rollingSurge(group: Pick<NodeGroup, 'role'>): number {
  return group.role === 'worker' ? 1 : 0;
}

/** The most nodes `group` runs at once: its count plus the rolling surge. */
export function peakNodes(group: Pick<NodeGroup, 'role' | 'count'>): number {
  return group.count + rollingSurge(group);
}
