/**
 * AWS tags multinic puts on what it launches (instances, volumes, ENIs, and everything in both stacks). The CDK
 * stacks write them and `multinic verify --aws` searches by them, so both read this one constant and cannot disagree.
 */
export const TAGS = {
  /** The VPC CNI (and anything that honours it) leaves ENIs with this tag alone. */
  noManage: { key: 'node.k8s.amazonaws.com/no_manage', value: 'true' },
  /** Cluster name (the intent's `metadata.name`); the source/destination-check permission is conditioned on it. */
  cluster: 'multinic.dev/cluster',
  /** Node group name. The same key is the node label that names a node's group in Kubernetes. */
  nodeGroup: 'multinic.dev/node-group',
} as const;
