import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { stringify } from 'yaml';
import { MultinicError } from '../lib/errors';
import { inlineEniScript } from './eni-script';

/** A file a node needs, written by cloud-init (`write_files`) before any bootstrap step runs. */
export interface NodeFile {
  /** Absolute path on the node. */
  readonly path: string;
  readonly content: string;
  /** Octal mode. @default '0644' */
  readonly mode?: string;
}

/** Where things land on a node. */
export const NODE_PATHS = {
  libDir: '/usr/local/lib/multinic',
  envFile: '/etc/multinic/bootstrap.env',
  /** Runs the setup commands of the in-guest ENI step (lib/node `NODE_SETUP_COMMANDS`). */
  eniSetup: '/etc/multinic/eni-setup.sh',
  renewService: '/etc/systemd/system/multinic-join-renew.service',
  renewTimer: '/etc/systemd/system/multinic-join-renew.timer',
  drainService: '/etc/systemd/system/multinic-drain.service',
  drainTimer: '/etc/systemd/system/multinic-drain.timer',
} as const;

/** The steps of the bootstrap bundle (run by `boot.sh` in this order) plus the helpers they use. */
export const BUNDLE_FILES = ['lib.sh', 'prepare.sh', 'source-dest-check.sh', 'runtime.sh', 'control-plane.sh', 'publish-join.sh', 'apply-calico.sh', 'apply-manifests.sh', 'drain.sh', 'worker.sh'] as const;

export type NodeRole = 'control-plane' | 'worker';

/** Finds a directory next to the sources whether running from `infra/` (ts) or `build/infra/` (compiled js). */
export function sourceDir(...parts: string[]): string {
  const candidates = [path.resolve(__dirname, ...parts), path.resolve(__dirname, '..', '..', 'infra', ...parts)];
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new MultinicError('MISSING_SOURCE', `infra/${parts.join('/')} is missing from the multinic package (looked in ${candidates.join(', ')})`);
  return found;
}

/** Reads one bootstrap script from `infra/bootstrap/`. */
export function bootstrapScript(name: string): string {
  return fs.readFileSync(path.join(sourceDir('bootstrap'), name), 'utf8');
}

/** The in-guest ENI setup script that `infra/node/` ships, its parts inlined: one file for the node. */
export function eniScript(): string {
  return inlineEniScript(sourceDir('node'));
}

/** systemd units of the join-token renewal on the control plane. */
export function renewUnits(interval: string): NodeFile[] {
  return [
    {
      path: NODE_PATHS.renewService,
      content: [
        '[Unit]',
        'Description=multinic: publish a fresh kubeadm join token to SSM',
        'After=network-online.target kubelet.service',
        '',
        '[Service]',
        'Type=oneshot',
        `ExecStart=${NODE_PATHS.libDir}/publish-join.sh`,
        '',
      ].join('\n'),
    },
    {
      path: NODE_PATHS.renewTimer,
      content: [
        '[Unit]',
        'Description=multinic: renew the kubeadm join token before it expires',
        '',
        '[Timer]',
        `OnActiveSec=${interval}`,
        `OnUnitActiveSec=${interval}`,
        'AccuracySec=1min',
        '',
        '[Install]',
        'WantedBy=timers.target',
        '',
      ].join('\n'),
    },
  ];
}

/** systemd units of the drain loop on the control plane (drain.sh every 20 s: workers in Terminating:Wait). */
export function drainUnits(): NodeFile[] {
  return [
    {
      path: NODE_PATHS.drainService,
      content: [
        '[Unit]',
        'Description=multinic: drain workers their Auto Scaling group is terminating, then let the termination continue',
        'After=network-online.target kubelet.service',
        '',
        '[Service]',
        'Type=oneshot',
        `ExecStart=${NODE_PATHS.libDir}/drain.sh`,
        '',
      ].join('\n'),
    },
    {
      path: NODE_PATHS.drainTimer,
      content: [
        '[Unit]',
        'Description=multinic: look for terminating workers to drain',
        '',
        '[Timer]',
        'OnActiveSec=20s',
        'OnUnitInactiveSec=20s',
        'AccuracySec=5s',
        '',
        '[Install]',
        'WantedBy=timers.target',
        '',
      ].join('\n'),
    },
  ];
}

/**
 * Writes the bootstrap bundle (the steps of `infra/bootstrap/` and the ENI script of `infra/node/`) into a fresh
 * temporary directory, for an S3 asset. Content-addressed: the same files give the same asset hash.
 */
export function writeBootstrapBundle(eni: string = eniScript()): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-bootstrap-'));
  for (const f of BUNDLE_FILES) fs.writeFileSync(path.join(dir, f), bootstrapScript(f), { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'multinic-eni.sh'), eni, { mode: 0o755 });
  return dir;
}

export interface NodeUserDataProps {
  readonly role: NodeRole;
  /**
   * Settings written to `/etc/multinic/bootstrap.env`, which every step sources. Values may hold CDK tokens; they
   * must not hold quotes, `$`, backticks, backslashes or newlines.
   */
  readonly env: Readonly<Record<string, string>>;
  /** Extra files (the node configuration of the in-guest ENI setup). @default - none */
  readonly files?: readonly NodeFile[];
  /** Commands of the ENI step, run in order after the files are written and before kubelet is installed. */
  readonly eniSetupCommands: readonly string[];
  /** Join-token renewal interval (control plane only; also installs the drain loop). @default - no renewal or drain units */
  readonly renewInterval?: string;
}

const ENV_NAME = /^[A-Z][A-Z0-9_]*$/;

/** Renders the env file every step sources; rejects what could break out of the double quotes. */
export function renderEnv(env: Readonly<Record<string, string>>): string {
  return Object.entries(env).map(([k, v]) => {
    if (!ENV_NAME.test(k)) throw new MultinicError('BAD_ENV_NAME', `internal: bootstrap setting name "${k}" is not an environment variable name`);
    if (!Token.isUnresolved(v) && /["'$`\\\n]/.test(v)) throw new MultinicError('BAD_ENV_VALUE', `bootstrap setting ${k}="${v}" contains a quote, "$", a backtick, a backslash or a newline; remove it from the intent`);
    return `${k}="${v}"\n`;
  }).join('');
}

/**
 * Renders the multipart user data of a node: a `text/cloud-config` part whose `write_files` lays down the settings
 * (env file), the node files and, on the control plane, the token renewal units; then the `text/x-shellscript` part,
 * `infra/bootstrap/boot.sh`, which fetches the bootstrap bundle and runs the steps in order (ENI before kubelet).
 */
export function nodeUserData(props: NodeUserDataProps): ec2.MultipartUserData {
  const files: NodeFile[] = [
    { path: NODE_PATHS.envFile, content: renderEnv({ ...props.env, MULTINIC_ROLE: props.role }), mode: '0600' },
    ...(props.files ?? []),
    {
      path: NODE_PATHS.eniSetup,
      mode: '0755',
      content: ['#!/bin/bash', '# multinic: the ENI step (lib/node NODE_SETUP_COMMANDS), run by boot.sh before kubelet is installed.', 'set -euo pipefail', ...props.eniSetupCommands, ''].join('\n'),
    },
    ...(props.renewInterval !== undefined ? [...renewUnits(props.renewInterval), ...drainUnits()] : []),
  ];
  const cloudConfig = `#cloud-config\n${stringify({
    write_files: files.map((f) => ({ path: f.path, owner: 'root:root', permissions: f.mode ?? '0644', content: f.content })),
  }, { lineWidth: 0, blockQuote: 'literal' })}`;
  const userData = new ec2.MultipartUserData();
  userData.addPart(ec2.MultipartBody.fromRawBody({ contentType: 'text/cloud-config; charset="utf-8"', body: cloudConfig }));
  userData.addPart(ec2.MultipartBody.fromRawBody({ contentType: 'text/x-shellscript; charset="utf-8"', body: bootstrapScript('boot.sh') }));
  return userData;
}
