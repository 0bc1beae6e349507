import { INSTANCE_TYPE_RULES } from '../aws/instance-type-rules';
import { adminCidrOpenRule } from './admin-cidr-open';
import { clusterCidrOverlapRule } from './cluster-cidr-overlap';
import { cniConfigRule } from './cni-config';
import { constructIdCollisionRule } from './construct-id-collision';
import { cniVersionRule } from './cni-version';
import { configMapNotFoundRule } from './config-map-not-found';
import { controlPlaneRule } from './control-plane';
import { defaultRouteOnSecondaryRule } from './default-route-on-secondary';
import { duplicateMountPathRule } from './duplicate-mount-path';
import { duplicateNameRule } from './duplicate-name';
import { eksKubernetesVersionRule } from './eks-kubernetes-version';
import { eksNodeGroupsRule } from './eks-node-groups';
import { eksPodCapacityRule } from './eks-pod-capacity';
import { eksServiceCidrRule } from './eks-service-cidr';
import { eniPrefixPluginRule } from './eni-prefix-plugin';
import { hostLocalAcrossNodesRule } from './host-local-across-nodes';
import { interfacesSpanZonesRule } from './interfaces-span-zones';
import { invalidAddressRule } from './invalid-address';
import { invalidNameRule } from './invalid-name';
import { kubernetesVersionRule } from './kubernetes-version';
import { macvlanOnEniRule } from './macvlan-on-eni';
import { masterNotOnNodeRule } from './master-not-on-node';
import { mtuAboveVpcRule } from './mtu-above-vpc';
import { networkNotFoundRule } from './network-not-found';
import { nodeLabelRule } from './node-label';
import { notRoutableBetweenNodesRule } from './not-routable-between-nodes';
import { kernelStyleInterfaceNameRule, nodeInterfaceNameRule } from './node-interface-name';
import { perNodeNetworkNameRule } from './per-node-network-name';
import { overlappingRangesRule } from './overlapping-ranges';
import { overlappingSubnetsRule } from './overlapping-subnets';
import { podInterfaceNameRule } from './pod-interface-name';
import { prefixCapacityRule } from './prefix-capacity';
import { prefixReservationRule } from './prefix-reservation';
import { prefixPodsPerNodeRule } from './prefix-pods-per-node';
import { policyAddressesUnknownRule } from './policy-addresses-unknown';
import { policyAllowsNothingRule } from './policy-allows-nothing';
import { policyArpFluxRule } from './policy-arp-flux';
import { policyCidrRule } from './policy-cidr';
import { policyDaemonImageRule } from './policy-daemon-image';
import { policyDaemonRegistryRule } from './policy-daemon-registry';
import { policyPortNotServedRule } from './policy-port-not-served';
import { policyPortRangeRule } from './policy-port-range';
import { policyPeerSelectsNothingRule } from './policy-selects-nothing';
import { securityGroupRuleQuotaRule } from './security-group-rule-quota';
import { securityGroupsPerEniRule } from './security-groups-per-eni';
import { privilegedContainerRule } from './privileged-container';
import { flavourPrimaryCniRule } from './flavour-primary-cni';
import { excludeOutsideRangeRule, gatewayInRangeRule, rangeOutsideSubnetRule, rangeStartAfterEndRule } from './range-bounds';
import { serviceNetworkNotFoundRule, serviceNetworkNotProxiedRule } from './service-network';
import { serviceSelectsNothingRule } from './service-selects-nothing';
import { subnetPlacementRule } from './subnet-placement';
import { subnetSizeRule } from './subnet-size';
import type { Rule } from './types';
import { unknownSubnetRule } from './unknown-subnet';
import { unknownZoneRule } from './unknown-zone';
import { vpcSizeRule } from './vpc-size';

export * from './types';

/** Every semantic rule, in the order findings are reported. Structural (schema) findings come before all of them. */
export const RULES: readonly Rule[] = [
  invalidNameRule,
  duplicateNameRule,
  constructIdCollisionRule,
  invalidAddressRule,
  clusterCidrOverlapRule,
  adminCidrOpenRule,
  kubernetesVersionRule,
  vpcSizeRule,
  subnetPlacementRule,
  subnetSizeRule,
  overlappingSubnetsRule,
  unknownZoneRule,
  controlPlaneRule,
  flavourPrimaryCniRule,
  eksNodeGroupsRule,
  eksKubernetesVersionRule,
  eksServiceCidrRule,
  ...INSTANCE_TYPE_RULES,
  eksPodCapacityRule,
  unknownSubnetRule,
  interfacesSpanZonesRule,
  nodeInterfaceNameRule,
  kernelStyleInterfaceNameRule,
  nodeLabelRule,
  cniVersionRule,
  masterNotOnNodeRule,
  macvlanOnEniRule,
  notRoutableBetweenNodesRule,
  eniPrefixPluginRule,
  perNodeNetworkNameRule,
  prefixCapacityRule,
  prefixReservationRule,
  prefixPodsPerNodeRule,
  mtuAboveVpcRule,
  rangeOutsideSubnetRule,
  rangeStartAfterEndRule,
  gatewayInRangeRule,
  excludeOutsideRangeRule,
  overlappingRangesRule,
  defaultRouteOnSecondaryRule,
  networkNotFoundRule,
  podInterfaceNameRule,
  hostLocalAcrossNodesRule,
  configMapNotFoundRule,
  duplicateMountPathRule,
  privilegedContainerRule,
  serviceNetworkNotFoundRule,
  serviceNetworkNotProxiedRule,
  serviceSelectsNothingRule,
  policyCidrRule,
  policyPortRangeRule,
  policyAllowsNothingRule,
  policyPeerSelectsNothingRule,
  policyPortNotServedRule,
  policyAddressesUnknownRule,
  policyDaemonImageRule,
  policyDaemonRegistryRule,
  policyArpFluxRule,
  securityGroupRuleQuotaRule,
  securityGroupsPerEniRule,
  // Last: reported only when no other error already points into the same network (see Rule.onlyAlone).
  cniConfigRule,
];
