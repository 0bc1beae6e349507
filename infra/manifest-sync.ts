import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CfnResource, Tags } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { parseAllDocuments } from 'yaml';
import { TAGS } from './defaults';
import { NODE_PATHS } from './user-data';

/**
 * Kinds `kubectl apply --prune` may delete when the intent no longer has them (only objects carrying the managed-by
 * label): the built-in kinds the charts can emit. CustomResourceDefinitions are never pruned (that would delete every
 * object of the type); custom kinds are added from the manifests themselves (their CRD ships with them).
 */
export const BUILTIN_PRUNE_KINDS = [
  'core/v1/ConfigMap', 'core/v1/Namespace', 'core/v1/Pod', 'core/v1/Secret', 'core/v1/Service', 'core/v1/ServiceAccount',
  'apps/v1/DaemonSet', 'apps/v1/Deployment', 'apps/v1/StatefulSet',
  'batch/v1/CronJob', 'batch/v1/Job',
  'rbac.authorization.k8s.io/v1/ClusterRole', 'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
  'rbac.authorization.k8s.io/v1/Role', 'rbac.authorization.k8s.io/v1/RoleBinding',
] as const;

/** `--prune-allowlist` entries: the built-in kinds plus every custom kind of the manifests in `dir`, sorted. */
export function pruneAllowlist(dir: string): string[] {
  const kinds = new Set<string>(BUILTIN_PRUNE_KINDS);
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.k8s.yaml')).sort()) {
    for (const doc of parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8'))) {
      const o = doc.toJS() as { apiVersion?: string; kind?: string } | null;
      if (!o?.apiVersion || !o.kind || o.kind === 'CustomResourceDefinition') continue;
      const gv = o.apiVersion.includes('/') ? o.apiVersion : `core/${o.apiVersion}`;
      if (/^(core|apps|batch|rbac\.authorization\.k8s\.io)\//.test(gv)) continue;
      kinds.add(`${gv}/${o.kind}`);
    }
  }
  return [...kinds].sort();
}

export interface ManifestSyncProps {
  /** Cluster name (the control plane is found by its tags). */
  readonly cluster: string;
  /** Node group name of the control plane. */
  readonly controlPlaneGroup: string;
  readonly manifestsBucket: string;
  /** Object key of the manifests asset: content-addressed, so a changed intent is a changed parameter. */
  readonly manifestsKey: string;
  readonly calicoUrl: string;
  readonly calicoSha256: string;
  readonly pruneAllowlist: readonly string[];
  /** Seconds CloudFormation waits for the run to succeed. */
  readonly waitSeconds: number;
  /** Resources the first run must wait for (the control plane's Auto Scaling group, which waits for its signal). */
  readonly after: readonly CfnResource[];
}

/**
 * Applies the manifests on every deployment that changes them, without replacing an instance: a State Manager
 * association runs `apply-manifests.sh` (server-side apply, prune by label) on the control plane. A changed
 * parameter (manifests key, Calico pin) updates the association, which runs it again; CloudFormation waits for it to
 * succeed (`WaitForSuccessTimeoutSeconds`) and fails the deployment otherwise. A new control-plane instance
 * matching the targets gets the association too.
 */
export class ManifestSync extends Construct {
  public readonly document: ssm.CfnDocument;
  public readonly association: ssm.CfnAssociation;

  constructor(scope: Construct, id: string, props: ManifestSyncProps) {
    super(scope, id);
    const param = (description: string, pattern: string) => ({ type: 'String', description, allowedPattern: pattern });
    this.document = new ssm.CfnDocument(this, 'Document', {
      documentType: 'Command',
      documentFormat: 'JSON',
      updateMethod: 'NewVersion',
      content: {
        schemaVersion: '2.2',
        description: `multinic ${props.cluster}: apply the cluster's manifests (server-side apply, prune by label) on the control plane`,
        parameters: {
          manifestsBucket: param('S3 bucket of the manifests asset', '^[a-z0-9.-]{3,63}$'),
          manifestsKey: param('Object key of the manifests asset', '^[A-Za-z0-9._/-]{1,1024}$'),
          calicoUrl: param('Calico manifest URL (pinned tag)', '^https://[A-Za-z0-9./_:-]+$'),
          calicoSha256: param('sha256 of the Calico manifest', '^[0-9a-f]{64}$'),
          pruneAllowlist: param('group/version/kind entries that may be pruned, space-separated', '^[A-Za-z0-9./ -]+$'),
        },
        mainSteps: [{
          action: 'aws:runShellScript',
          name: 'applyManifests',
          inputs: {
            timeoutSeconds: String(props.waitSeconds),
            runCommand: [`${NODE_PATHS.libDir}/apply-manifests.sh '{{manifestsBucket}}' '{{manifestsKey}}' '{{calicoUrl}}' '{{calicoSha256}}' '{{pruneAllowlist}}'`],
          },
        }],
      },
    });
    this.association = new ssm.CfnAssociation(this, 'Association', {
      name: this.document.ref,
      associationName: `multinic-${props.cluster}-manifests`,
      targets: [
        { key: `tag:${TAGS.cluster}`, values: [props.cluster] },
        { key: `tag:${TAGS.nodeGroup}`, values: [props.controlPlaneGroup] },
      ],
      parameters: {
        manifestsBucket: [props.manifestsBucket],
        manifestsKey: [props.manifestsKey],
        calicoUrl: [props.calicoUrl],
        calicoSha256: [props.calicoSha256],
        pruneAllowlist: [props.pruneAllowlist.join(' ')],
      },
      waitForSuccessTimeoutSeconds: props.waitSeconds,
      applyOnlyAtCronInterval: false,
      maxErrors: '0',
      complianceSeverity: 'CRITICAL',
    });
    for (const r of props.after) this.association.addResourceDependency(r);
    // The stack-wide cluster tag would land on the association, whose CloudFormation schema has no Tags (cfn-lint E3002).
    Tags.of(this.association).remove(TAGS.cluster);
  }
}
