/**
 * The user data of an EKS node: a MIME multipart document that nodeadm and cloud-init read on the EKS-optimised
 * Amazon Linux 2023 AMI.
 *
 * 1. `application/node.eks.aws`: the nodeadm NodeConfig (cluster, kubelet maxPods, startup taint, labels);
 * 2. `text/cloud-config`: `write_files` lays down the settings, the node files of lib/node (node.conf, unit, udev
 *    rule, networkd drop-ins), the AL2023 ec2-net-utils mask and the ENI step;
 * 3. `text/x-shellscript`: `infra/eks/node/eks-boot.sh`, which installs the ENI script from the bundle and runs it.
 *
 * nodeadm reads part 1 in its config phase; cloud-init runs 2 and 3; nodeadm-run.service starts the kubelet after
 * cloud-final, so the ENIs are configured first.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { stringify } from 'yaml';
import { NODE_PATHS, type NodeFile, renderEnv, sourceDir } from '../user-data';
import { NODE_CONFIG_CONTENT_TYPE, renderEksNodeConfig, type EksNodeConfigProps } from './node-config';

/**
 * ec2-net-utils' udev rule, masked by an empty file of the same name in /etc (what the EKS AMI's own build does,
 * awslabs/amazon-eks-ami install-worker.sh). Without it, a plain AL2023 image starts `policy-routes@<nic>` for every
 * ENI: it adds every address IMDS lists on the ENI as a /32 and its own rules, which would take pod addresses away
 * from ipvlan pods (docs/eks.md). multinic-eni.sh also stops a unit already started for a secondary ENI.
 */
export const EC2_NET_UTILS_MASK: NodeFile = {
  path: '/etc/udev/rules.d/99-vpc-policy-routes.rules',
  content: '# multinic: ec2-net-utils\' policy routing is masked; multinic-eni.sh configures the secondary ENIs (docs/eks.md).\n',
};

/** Reads the shell part, `infra/eks/node/eks-boot.sh`. */
export function eksBootScript(): string {
  return fs.readFileSync(path.join(sourceDir('eks', 'node'), 'eks-boot.sh'), 'utf8');
}

export interface EksUserDataProps {
  readonly nodeConfig: EksNodeConfigProps;
  /** Written to `/etc/multinic/bootstrap.env` (values may hold tokens; no quotes, `$`, backticks, backslashes). */
  readonly env: Readonly<Record<string, string>>;
  /** Node files of the in-guest ENI setup (lib/node `nodeFiles`). */
  readonly files: readonly NodeFile[];
  /** Commands of the ENI step (lib/node `NODE_SETUP_COMMANDS`). */
  readonly eniSetupCommands: readonly string[];
}

/** The cloud-config part's files, in the order they are written. */
export function eksNodeFiles(props: Pick<EksUserDataProps, 'env' | 'files' | 'eniSetupCommands'>): NodeFile[] {
  return [
    { path: NODE_PATHS.envFile, content: renderEnv(props.env), mode: '0600' },
    ...props.files,
    EC2_NET_UTILS_MASK,
    {
      path: NODE_PATHS.eniSetup,
      mode: '0755',
      content: ['#!/bin/bash', '# multinic: the ENI step (lib/node NODE_SETUP_COMMANDS), run by eks-boot.sh before nodeadm starts the kubelet.', 'set -euo pipefail', ...props.eniSetupCommands, ''].join('\n'),
    },
  ];
}

/** Renders the three-part MIME user data. */
export function eksUserData(props: EksUserDataProps): ec2.MultipartUserData {
  const cloudConfig = `#cloud-config\n${stringify({
    write_files: eksNodeFiles(props).map((f) => ({ path: f.path, owner: 'root:root', permissions: f.mode ?? '0644', content: f.content })),
  }, { lineWidth: 0, blockQuote: 'literal' })}`;
  const userData = new ec2.MultipartUserData();
  userData.addPart(ec2.MultipartBody.fromRawBody({ contentType: NODE_CONFIG_CONTENT_TYPE, body: renderEksNodeConfig(props.nodeConfig) }));
  userData.addPart(ec2.MultipartBody.fromRawBody({ contentType: 'text/cloud-config; charset="utf-8"', body: cloudConfig }));
  userData.addPart(ec2.MultipartBody.fromRawBody({ contentType: 'text/x-shellscript; charset="utf-8"', body: eksBootScript() }));
  return userData;
}
