process.env.CDK_VALIDATION = 'false';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { MultinicError } from '../../lib/errors';
import { BUNDLE_FILES, bootstrapScript, NODE_PATHS, renderEnv, renewUnits, sourceDir, writeBootstrapBundle } from '../../infra/user-data';
import { INFRA_DEFAULTS } from '../../infra/defaults';
import { NETWORKS_NOT_READY_TAINT } from '../../lib/readiness';
import { NODE_SCRIPT_PATH, NODE_SETUP_COMMANDS, nodeFiles } from '../../lib/node/node-files';
import { logicalId, REPO, richIntent, synth, userDataParts } from './util';
import { requireTools } from '../util/require-tool';

const BOOTSTRAP = path.join(REPO, 'infra', 'bootstrap');
const SCRIPTS = fs.readdirSync(BOOTSTRAP).filter((f) => f.endsWith('.sh')).sort();
const shellcheck = requireTools(['shellcheck']);

describe('bootstrap scripts', () => {
  test('the bundle lists every step boot.sh runs', () => {
    const boot = bootstrapScript('boot.sh');
    const steps = [...boot.matchAll(/"\$lib\/([a-z-]+\.sh)"/g)].map((m) => m[1]).filter((f) => f !== 'multinic-eni.sh');
    expect(steps.length).toBeGreaterThan(3);
    for (const step of steps) expect(BUNDLE_FILES).toContain(step);
    expect(SCRIPTS).toEqual([...BUNDLE_FILES, 'boot.sh'].sort());
  });

  shellcheck.test.each([...SCRIPTS.map((f) => [f, path.join(BOOTSTRAP, f)]), ['multinic-eni.sh (infra/node)', path.join(sourceDir('node'), 'multinic-eni.sh')]])('%s passes shellcheck', (_name, file) => {
    // GIVEN a script the nodes run, WHEN shellcheck follows its sources, THEN it reports nothing
    const r = spawnSync('shellcheck', ['-x', '-P', 'SCRIPTDIR', '--severity=style', file], { encoding: 'utf8', timeout: 30000 });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  shellcheck.test('shellcheck does find problems (the check can fail)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-sc-'));
    fs.writeFileSync(path.join(dir, 'bad.sh'), '#!/bin/bash\nrm -rf $1/x\n');
    const r = spawnSync('shellcheck', [path.join(dir, 'bad.sh')], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stdout).toContain('SC2086');
  });
});

describe('user data', () => {
  // GIVEN the rich intent's worker and control-plane launch templates
  const { cluster } = synth(richIntent());
  const parts = (group: string) => userDataParts(cluster, logicalId(cluster, 'AWS::EC2::LaunchTemplate', `NodeGroup${group}LaunchTemplate`));

  test('is a cloud-config part (settings, files) then the boot script, verbatim', () => {
    const [config, shell] = parts('WorkersA');
    expect(config.contentType).toBe('text/cloud-config; charset="utf-8"');
    expect(shell.contentType).toBe('text/x-shellscript; charset="utf-8"');
    expect(shell.body.trimEnd()).toBe(bootstrapScript('boot.sh').trimEnd());
    const doc = parse(config.body) as { write_files: Array<{ path: string; permissions: string; content: string }> };
    expect(config.body.startsWith('#cloud-config\n')).toBe(true);
    const envFile = doc.write_files.find((f) => f.path === NODE_PATHS.envFile)!;
    expect(envFile.permissions).toBe('0600');
    expect(envFile.content).toContain('JOIN_TIMEOUT="1800"');
  });

  test('the ENI step writes the files of lib/node and runs its setup commands; boot.sh installs the script where its unit runs it', () => {
    const files = (parse(parts('WorkersA')[0].body) as { write_files: Array<{ path: string; permissions: string; content: string }> }).write_files;
    const expected = nodeFiles(richIntent(), 'workers-a');
    for (const f of expected) expect(files).toContainEqual({ path: f.path, owner: 'root:root', permissions: f.mode, content: f.content });
    const setup = files.find((f) => f.path === NODE_PATHS.eniSetup)!;
    expect(setup.permissions).toBe('0755');
    expect(setup.content.split('\n').filter((l) => l && !l.startsWith('#') && l !== 'set -euo pipefail')).toEqual([...NODE_SETUP_COMMANDS]);
    expect(bootstrapScript('boot.sh')).toContain(`install -m 0755 "$lib/multinic-eni.sh" "\${MULTINIC_SBIN:-${path.dirname(NODE_SCRIPT_PATH)}}/${path.basename(NODE_SCRIPT_PATH)}"`);
  });

  shellcheck.test('the generated ENI step is shellcheck-clean', () => {
    const files = (parse(parts('WorkersA')[0].body) as { write_files: Array<{ path: string; content: string }> }).write_files;
    const setup = files.find((f) => f.path === NODE_PATHS.eniSetup)!;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-setup-'));
    fs.writeFileSync(path.join(dir, 'eni-setup.sh'), setup.content);
    const r = spawnSync('shellcheck', [path.join(dir, 'eni-setup.sh')], { encoding: 'utf8' });
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });

  test('the control plane also gets the token renewal timer, at the pinned interval', () => {
    const doc = parse(parts('ControlPlane')[0].body) as { write_files: Array<{ path: string; content: string }> };
    const timer = doc.write_files.find((f) => f.path === NODE_PATHS.renewTimer)!;
    expect(timer.content).toContain(`OnUnitActiveSec=${INFRA_DEFAULTS.joinRenewInterval}`);
    expect(parse(parts('WorkersA')[0].body).write_files.map((f: { path: string }) => f.path)).not.toContain(NODE_PATHS.renewTimer);
    // The renewal comes well before the token expires.
    expect(parseInt(INFRA_DEFAULTS.joinRenewInterval, 10) * 2).toBeLessThan(parseInt(INFRA_DEFAULTS.joinTokenTtl, 10));
  });

  test.each(['ControlPlane', 'WorkersA', 'WorkersB'])('%s: the user data stays far below the 16 KiB EC2 limit', (group) => {
    // Intrinsics are shown as <TOKEN>; the few of them resolve to names and ARNs well under 100 characters each.
    const size = parts(group).reduce((n, p) => n + Buffer.byteLength(p.body), 0);
    expect(size).toBeGreaterThan(1000);
    expect(size).toBeLessThan(12 * 1024);
  });

  test('the ENI step runs before anything installs or starts kubelet', () => {
    const lines = parts('WorkersA')[1].body.split('\n');
    expect(lines).toContain(`etc=\${MULTINIC_ETC:-${path.dirname(NODE_PATHS.eniSetup)}}`);
    const eni = lines.findIndex((l) => l.includes(`"$etc/${path.basename(NODE_PATHS.eniSetup)}"`));
    const runtime = lines.findIndex((l) => l.includes('"$lib/runtime.sh"'));
    const worker = lines.findIndex((l) => l.includes('"$lib/worker.sh"'));
    expect(eni).toBeGreaterThan(0);
    expect(runtime).toBeGreaterThan(eni);
    expect(worker).toBeGreaterThan(runtime);
    // kubelet (in APT_PACKAGES) is installed only by runtime.sh, never by the steps before it
    const installsPackages = SCRIPTS.filter((f) => /APT_PACKAGES|kubelet=/.test(bootstrapScript(f)));
    expect(installsPackages).toEqual(['runtime.sh']);
  });
});

describe('renderEnv', () => {
  test('writes KEY="value" lines', () => {
    expect(renderEnv({ A: '1', B_2: 'x y' })).toBe('A="1"\nB_2="x y"\n');
  });
  test.each(['a"b', 'a$b', 'a`b', 'a\\b', 'a\nb'])('rejects %j, which could break out of the quotes', (v) => {
    expect(() => renderEnv({ A: v })).toThrow(MultinicError);
  });
});

describe('renewUnits', () => {
  test('a oneshot service running publish-join.sh and a timer that repeats', () => {
    const [service, timer] = renewUnits('8h');
    expect(service.content).toContain(`ExecStart=${NODE_PATHS.libDir}/publish-join.sh`);
    expect(timer.content).toMatch(/OnActiveSec=8h\nOnUnitActiveSec=8h/);
  });
});

describe('writeBootstrapBundle', () => {
  test('holds every step and the ENI script, executable', () => {
    const dir = writeBootstrapBundle('#!/bin/bash\necho eni\n');
    expect(fs.readdirSync(dir).sort()).toEqual([...BUNDLE_FILES, 'multinic-eni.sh'].sort());
    expect(fs.readFileSync(path.join(dir, 'multinic-eni.sh'), 'utf8')).toBe('#!/bin/bash\necho eni\n');
    expect(fs.statSync(path.join(dir, 'worker.sh')).mode & 0o111).toBe(0o111);
  });
});

/** Runs a bootstrap step in a scratch directory with fake aws, kubeadm and curl (IMDS) on PATH. */
function runStep(step: string, env: Record<string, string>, fakes: Record<string, string>, timeoutMs = 20000) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-step-'));
  const etc = path.join(dir, 'etc');
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(etc);
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(etc, 'bootstrap.env'), renderEnv({ AWS_REGION: 'eu-west-1', MULTINIC_CLUSTER: 'test', ...env }));
  for (const [name, body] of Object.entries({ curl: 'case "$*" in *api/token*) echo tok;; *local-ipv4*) echo 10.0.3.7;; *) exit 22;; esac', ...fakes })) {
    fs.writeFileSync(path.join(bin, name), `#!/bin/bash\necho "${name} $*" >>"${dir}/calls"\n${body}\n`, { mode: 0o755 });
  }
  const started = Date.now();
  const r = spawnSync('bash', [path.join(BOOTSTRAP, step)], {
    encoding: 'utf8', timeout: timeoutMs,
    env: { PATH: `${bin}:/usr/bin:/bin`, MULTINIC_ETC: etc, MULTINIC_LIB: BOOTSTRAP, HOME: dir },
  });
  const calls = fs.existsSync(path.join(dir, 'calls')) ? fs.readFileSync(path.join(dir, 'calls'), 'utf8') : '';
  return { ...r, calls, etc, seconds: (Date.now() - started) / 1000 };
}

describe('worker.sh', () => {
  const base = {
    JOIN_PARAMETER: '/multinic/test/x/join', NODE_LABELS: 'multinic.dev/interface-multus0=true', JOIN_POLL_SECONDS: '1',
    STARTUP_TAINT_KEY: NETWORKS_NOT_READY_TAINT.key, STARTUP_TAINT_VALUE: NETWORKS_NOT_READY_TAINT.value, STARTUP_TAINT_EFFECT: NETWORKS_NOT_READY_TAINT.effect,
  };
  const ready = 'case "$*" in *jsonpath*) echo True;; esac';

  test('gives up after JOIN_TIMEOUT when the join data never appears', () => {
    // GIVEN an SSM that never has the parameter and a 2-second bound
    const r = runStep('worker.sh', { ...base, JOIN_TIMEOUT: '2' }, { aws: 'exit 254', kubeadm: 'exit 0' });
    // THEN the step fails, says why, within the bound, and never tried to join
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('no join data in /multinic/test/x/join after 2s');
    expect(r.seconds).toBeLessThan(10);
    expect(r.calls).not.toContain('kubeadm');
  });

  test('joins with the published endpoint, token and CA hash, its node IP and its labels', () => {
    const hash = `sha256:${'0123456789abcdef'.repeat(4)}`;
    const r = runStep('worker.sh', { ...base, JOIN_TIMEOUT: '30' }, { aws: `echo "10.0.1.5:6443 abcdef.0123456789abcdef ${hash}"`, kubeadm: 'exit 0', kubectl: ready, hostname: 'echo IP-10-0-3-7' });
    expect(r.stderr).toContain('joined 10.0.1.5:6443');
    expect(r.stderr).toContain('node ip-10-0-3-7 is Ready');
    expect(r.status).toBe(0);
    expect(r.calls).toContain('aws ssm get-parameter --name /multinic/test/x/join --with-decryption');
    const config = parse(fs.readFileSync(path.join(r.etc, 'kubeadm-join.yaml'), 'utf8'));
    expect(config.discovery.bootstrapToken).toEqual({ apiServerEndpoint: '10.0.1.5:6443', token: 'abcdef.0123456789abcdef', caCertHashes: [hash] });
    expect(config.nodeRegistration.kubeletExtraArgs).toEqual([{ name: 'node-ip', value: '10.0.3.7' }, { name: 'node-labels', value: 'multinic.dev/interface-multus0=true' }]);
    expect(config.nodeRegistration.name).toBe('ip-10-0-3-7');
    // The startup taint of lib/readiness.ts, so no pod lands before the node's networks are ready
    expect(config.nodeRegistration.taints).toEqual([{ ...NETWORKS_NOT_READY_TAINT }]);
    expect(r.calls).toMatch(/kubectl --kubeconfig \S+\/kubelet.conf get node ip-10-0-3-7/);
  });

  test('fails within the bound when the joined node never becomes Ready', () => {
    const hash = `sha256:${'0123456789abcdef'.repeat(4)}`;
    const r = runStep('worker.sh', { ...base, JOIN_TIMEOUT: '3' }, { aws: `echo "10.0.1.5:6443 abcdef.0123456789abcdef ${hash}"`, kubeadm: 'exit 0', kubectl: 'echo False', hostname: 'echo ip-10-0-3-7' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('node ip-10-0-3-7 joined but is not Ready after 3s');
    expect(r.seconds).toBeLessThan(15);
  });

  test('refuses malformed join data', () => {
    const r = runStep('worker.sh', { ...base, JOIN_TIMEOUT: '5' }, { aws: "echo '10.0.1.5:6443 not-a-token; x'", kubeadm: 'exit 0' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('malformed');
    expect(r.calls).not.toContain('kubeadm join');
  });
});

describe('publish-join.sh', () => {
  test('publishes "endpoint token hash" as a SecureString under the cluster key, not on the command line', () => {
    const hash = `sha256:${'ab'.repeat(32)}`;
    const r = runStep('publish-join.sh', { JOIN_PARAMETER: '/multinic/test/x/join', JOIN_KEY_ARN: 'arn:aws:kms:eu-west-1:111122223333:key/k', JOIN_TOKEN_TTL: '24h' }, {
      kubeadm: `echo "kubeadm join 10.0.1.5:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash ${hash} "`,
      aws: 'for a in "$@"; do case $a in file://*) cp "${a#file://}" "$MULTINIC_ETC/published";; esac; done',
    });
    expect(r.stderr).toContain('published join data for 10.0.1.5:6443');
    expect(r.status).toBe(0);
    expect(r.calls).toContain('kubeadm token create --ttl 24h --print-join-command');
    expect(r.calls).toMatch(/aws ssm put-parameter --name \/multinic\/test\/x\/join --type SecureString --key-id arn:aws:kms:eu-west-1:111122223333:key\/k --overwrite --value file:\/\//);
    expect(r.calls).not.toContain('abcdef.0123456789abcdef --');
    expect(fs.readFileSync(path.join(r.etc, 'published'), 'utf8')).toBe(`10.0.1.5:6443 abcdef.0123456789abcdef ${hash}`);
  });
});

describe('source-dest-check.sh', () => {
  test('turns the check off only on the ENIs at the listed device indexes', () => {
    const imds = [
      'case "$*" in',
      '  *api/token*) echo tok;;',
      '  *interfaces/macs/) printf "0a:00:00:00:00:01/\\n0a:00:00:00:00:02/\\n0a:00:00:00:00:03/\\n";;',
      '  *00:01/device-number*) echo 0;; *00:02/device-number*) echo 1;; *00:03/device-number*) echo 2;;',
      '  *00:03/interface-id*) echo eni-0123456789abcdef3;;',
      '  *) exit 22;;',
      'esac',
    ].join('\n');
    const r = runStep('source-dest-check.sh', { SOURCE_DEST_CHECK_OFF: '2' }, { curl: imds, aws: 'exit 0' });
    expect(r.status).toBe(0);
    const modified = r.calls.split('\n').filter((l) => l.startsWith('aws '));
    expect(modified).toEqual(['aws ec2 modify-network-interface-attribute --network-interface-id eni-0123456789abcdef3 --no-source-dest-check']);
  });

  test('fails when a listed device index has no ENI', () => {
    const imds = 'case "$*" in *api/token*) echo tok;; *interfaces/macs/) echo "0a:00:00:00:00:01/";; *device-number*) echo 0;; *) exit 22;; esac';
    const r = runStep('source-dest-check.sh', { SOURCE_DEST_CHECK_OFF: '1' }, { curl: imds, aws: 'exit 0' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('found 0 of 1 ENIs');
  });

  test('does nothing without listed indexes', () => {
    const r = runStep('source-dest-check.sh', { SOURCE_DEST_CHECK_OFF: '' }, { aws: 'exit 1' });
    expect(r.status).toBe(0);
    expect(r.calls).toBe('');
  });
});
