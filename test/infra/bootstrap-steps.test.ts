/**
 * The deploy-path steps run for real (bash, python3's zipfile, sha256sum, gpg where present) in a scratch directory,
 * with fake aws, kubectl, kubeadm, hostname, apt-get, systemctl and curl (IMDS) on PATH that record their calls.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { renderEnv } from '../../infra/user-data';
import { REPO } from './util';
import { POD_SPEC_ANNOTATION } from '../../lib/pod-spec';

const BOOTSTRAP = path.join(REPO, 'infra', 'bootstrap');
const IMDS = 'case "$*" in *api/token*) echo tok;; *local-ipv4*) echo 10.0.3.7;; *instance-id*) echo i-0123456789abcdef0;; *availability-zone*) echo eu-west-1b;; *) exit 22;; esac';

interface Run { status: number | null; stdout: string; stderr: string; calls: string; dir: string; etc: string }

/** Runs `script` (a path) with `args`, the env file `env`, and fake commands `fakes` (name -> bash body). */
function run(script: string, args: string[], env: Record<string, string>, fakes: Record<string, string>, extraEnv: Record<string, string> = {}): Run {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-steps-'));
  const etc = path.join(dir, 'etc');
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(etc);
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(etc, 'bootstrap.env'), renderEnv({ AWS_REGION: 'eu-west-1', MULTINIC_CLUSTER: 'test', STACK_NAME: 'multinic-test-cluster', ...env }));
  for (const [name, body] of Object.entries({ curl: IMDS, sleep: 'exit 0', ...fakes })) {
    fs.writeFileSync(path.join(bin, name), `#!/bin/bash\necho "${name} $*" >>"${dir}/calls"\n${body}\n`, { mode: 0o755 });
  }
  const r = spawnSync('bash', [script, ...args], {
    encoding: 'utf8', timeout: 30000,
    env: { PATH: `${bin}:/usr/bin:/bin`, MULTINIC_ETC: etc, MULTINIC_LIB: BOOTSTRAP, HOME: dir, ...extraEnv },
  });
  const calls = fs.existsSync(path.join(dir, 'calls')) ? fs.readFileSync(path.join(dir, 'calls'), 'utf8') : '';
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, calls, dir, etc };
}

describe('boot.sh', () => {
  /** A bundle whose steps are `steps` (name -> body); boot.sh downloads it with the fake `aws s3 cp`. */
  function boot(steps: Record<string, string>, role = 'worker') {
    const src = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-bundle-'));
    for (const f of ['prepare.sh', 'source-dest-check.sh', 'runtime.sh', 'worker.sh', 'control-plane.sh', 'multinic-eni.sh']) {
      fs.writeFileSync(path.join(src, f), `#!/bin/bash\necho "step ${f}" >&2\n${steps[f] ?? 'exit 0'}\n`);
    }
    const zip = path.join(src, 'bundle.zip');
    spawnSync('python3', ['-m', 'zipfile', '-c', zip, ...fs.readdirSync(src).filter((f) => f.endsWith('.sh')).map((f) => path.join(src, f))]);
    const lib = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-lib-'));
    const sbin = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-sbin-'));
    const r = run(path.join(BOOTSTRAP, 'boot.sh'), [], {
      MULTINIC_ROLE: role, AWS_CLI_VERSION: '2.36.11', AWS_CLI_URL: 'https://example.invalid/aws.zip', AWS_CLI_SHA256: 'a'.repeat(64),
      BUNDLE_BUCKET: 'b', BUNDLE_KEY: 'k.zip', SIGNAL_RESOURCES: 'a:AsgA b:AsgB',
    }, {
      aws: `case "$1" in --version) echo "aws-cli/2.36.11 Python/3";; s3) cp "${zip}" "$5";; esac`,
    }, { MULTINIC_LIB: lib, MULTINIC_SBIN: sbin });
    return r;
  }

  test('a failing step signals FAILURE for the Auto Scaling group of the node\'s zone, naming the step', () => {
    // GIVEN a node whose ENI step fails (the eni-setup.sh the cloud-config part writes is absent here)
    const r = boot({});
    // THEN boot fails and one FAILURE signal names the instance and the failing step
    expect(r.status).not.toBe(0);
    expect(r.calls).toMatch(/aws cloudformation signal-resource --stack-name multinic-test-cluster --logical-resource-id AsgB --unique-id i-0123456789abcdef0-failed-eni-setup.sh --status FAILURE/);
    expect(r.calls).not.toContain('--status SUCCESS');
    expect(r.stderr).toContain('step eni-setup.sh failed');
  });

  test('every step succeeding signals SUCCESS once, after the role step', () => {
    // GIVEN a scratch etc with the ENI step present
    const src = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-bundle-'));
    for (const f of ['prepare.sh', 'source-dest-check.sh', 'runtime.sh', 'worker.sh', 'control-plane.sh', 'multinic-eni.sh']) {
      fs.writeFileSync(path.join(src, f), `#!/bin/bash\necho "ran ${f}" >>"$MULTINIC_ETC/ran"\n`);
    }
    const zip = path.join(src, 'bundle.zip');
    spawnSync('python3', ['-m', 'zipfile', '-c', zip, ...fs.readdirSync(src).filter((f) => f.endsWith('.sh')).map((f) => path.join(src, f))]);
    const lib = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-lib-'));
    const sbin = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-sbin-'));
    const etcPre = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-etc-'));
    fs.writeFileSync(path.join(etcPre, 'eni-setup.sh'), '#!/bin/bash\necho "ran eni-setup.sh" >>"$MULTINIC_ETC/ran"\n', { mode: 0o755 });
    fs.writeFileSync(path.join(etcPre, 'bootstrap.env'), renderEnv({
      AWS_REGION: 'eu-west-1', STACK_NAME: 's', MULTINIC_ROLE: 'worker', AWS_CLI_VERSION: '2.36.11', AWS_CLI_URL: 'https://example.invalid/aws.zip',
      AWS_CLI_SHA256: 'a'.repeat(64), BUNDLE_BUCKET: 'b', BUNDLE_KEY: 'k.zip', SIGNAL_RESOURCES: '*:AsgAll',
    }));
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-bin-'));
    const calls = path.join(bin, 'calls');
    const fake = (name: string, body: string) => fs.writeFileSync(path.join(bin, name), `#!/bin/bash\necho "${name} $*" >>"${calls}"\n${body}\n`, { mode: 0o755 });
    fake('curl', IMDS);
    fake('aws', `case "$1" in --version) echo "aws-cli/2.36.11 Python/3";; s3) cp "${zip}" "$5";; esac`);
    fake('sleep', 'exit 0');
    // WHEN
    const r = spawnSync('bash', [path.join(BOOTSTRAP, 'boot.sh')], { encoding: 'utf8', timeout: 30000, env: { PATH: `${bin}:/usr/bin:/bin`, MULTINIC_ETC: etcPre, MULTINIC_LIB: lib, MULTINIC_SBIN: sbin, HOME: bin } });
    // THEN the steps ran in order, the ENI script was installed, and one SUCCESS went to the only group
    expect(r.stderr).toContain('complete');
    expect(r.status).toBe(0);
    expect(fs.readFileSync(path.join(etcPre, 'ran'), 'utf8').trim().split('\n')).toEqual(['ran prepare.sh', 'ran eni-setup.sh', 'ran source-dest-check.sh', 'ran runtime.sh', 'ran worker.sh']);
    expect(fs.existsSync(path.join(sbin, 'multinic-eni.sh'))).toBe(true);
    const log = fs.readFileSync(calls, 'utf8');
    expect(log.match(/signal-resource/g)).toHaveLength(1);
    expect(log).toContain('--logical-resource-id AsgAll --unique-id i-0123456789abcdef0 --status SUCCESS');
    expect(log).not.toContain('apt-get');
  });

  test('an AWS CLI zip whose sha256 is not the pinned one is never run', () => {
    const r = run(path.join(BOOTSTRAP, 'boot.sh'), [], {
      MULTINIC_ROLE: 'worker', AWS_CLI_VERSION: '2.36.11', AWS_CLI_URL: 'https://example.invalid/aws.zip', AWS_CLI_SHA256: 'a'.repeat(64),
      BUNDLE_BUCKET: 'b', BUNDLE_KEY: 'k', SIGNAL_RESOURCES: '*:Asg',
    }, {
      // no AWS CLI yet; the download gives bytes of another digest
      aws: 'exit 127',
      'apt-get': 'exit 0',
      curl: `case "$*" in *example.invalid*) echo tampered >"\${@: -1}";; *) ${IMDS};; esac`,
      unzip: 'exit 0',
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('does not have the pinned sha256');
    expect(r.calls).not.toMatch(/^unzip /m);
    expect(r.calls).toContain('--status FAILURE');
  });
});

describe('control-plane.sh', () => {
  test('refuses to kubeadm init when this deployment\'s cluster was initialised before (a replaced control plane)', () => {
    const kube = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-kube-'));
    const r = run(path.join(BOOTSTRAP, 'control-plane.sh'), [], { JOIN_PARAMETER: '/multinic/test/x/join' }, {
      aws: 'case "$*" in *get-parameter*) echo /multinic/test/x/join;; esac', kubeadm: 'exit 0', hostname: 'echo ip-10-0-3-7',
    }, { MULTINIC_KUBERNETES_DIR: kube });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('refusing to kubeadm init a new, empty cluster');
    expect(r.calls).not.toContain('kubeadm init');
  });
});

describe('apply-calico.sh', () => {
  test('applies nothing when the manifest is not the pinned one', () => {
    const r = run(path.join(BOOTSTRAP, 'apply-calico.sh'), ['https://example.invalid/calico.yaml', 'b'.repeat(64)], {}, {
      curl: 'echo other >"${@: -1}"', kubectl: 'exit 0',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`but ${'b'.repeat(64)} is pinned: not applying it`);
    expect(r.calls).not.toContain('kubectl');
  });
});

describe('apply-manifests.sh', () => {
  test('applies every manifest with server-side apply and prunes by the managed-by label, only the allowed kinds', () => {
    // GIVEN a manifests asset with two files and a Calico manifest of the pinned digest
    const src = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-dist-'));
    fs.writeFileSync(path.join(src, '0000-multus.k8s.yaml'), 'kind: x\n');
    fs.writeFileSync(path.join(src, '0001-networks.k8s.yaml'), 'kind: y\n');
    const zip = path.join(src, 'dist.zip');
    spawnSync('python3', ['-m', 'zipfile', '-c', zip, path.join(src, '0000-multus.k8s.yaml'), path.join(src, '0001-networks.k8s.yaml')]);
    const calico = 'calico manifest\n';
    const sha = spawnSync('sha256sum', { input: calico, encoding: 'utf8' }).stdout.split(' ')[0];
    // WHEN
    const r = run(path.join(BOOTSTRAP, 'apply-manifests.sh'), ['bucket', 'key.zip', 'https://example.invalid/calico.yaml', sha, 'core/v1/Pod apps/v1/DaemonSet'], {}, {
      curl: `printf '${calico.replace('\n', '\\n')}' >"\${@: -1}"`, kubectl: 'exit 0', aws: `cp "${zip}" "$5"`,
    });
    // THEN Calico first, then one apply of both files with prune
    expect(r.stderr).toContain('applied 2 manifest files');
    expect(r.status).toBe(0);
    const applies = r.calls.split('\n').filter((l) => l.startsWith('kubectl apply'));
    expect(applies[0]).toContain('calico.yaml');
    expect(applies[1]).toMatch(/kubectl apply --server-side --force-conflicts --field-manager=multinic --prune -l app.kubernetes.io\/managed-by=multinic --prune-allowlist core\/v1\/Pod --prune-allowlist apps\/v1\/DaemonSet -f \S+0000-multus.k8s.yaml -f \S+0001-networks.k8s.yaml/);
  });
});

describe('apply-manifests.sh replaces changed bare Pods', () => {
  test('a running Pod whose pod-spec value differs (or that has none) is deleted before the apply; an unchanged or new one is not', () => {
    // GIVEN manifests wanting three Pods, and a cluster running two of them (one changed) and an old one without the annotation
    const src = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-dist-'));
    const pod = (ns: string, name: string, hash: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    ${POD_SPEC_ANNOTATION}: ${ns}/${name}/${hash}\n  name: ${name}\n  namespace: ${ns}\n---\n`;
    fs.writeFileSync(path.join(src, '0003-workloads.k8s.yaml'),
      pod('default', 'same', 'aaaa') + pod('demo', 'changed', 'bbbb') + pod('demo', 'new', 'cccc') + pod('demo', 'old', 'dddd'));
    const zip = path.join(src, 'dist.zip');
    spawnSync('python3', ['-m', 'zipfile', '-c', zip, path.join(src, '0003-workloads.k8s.yaml')]);
    const calico = 'calico manifest\n';
    const sha = spawnSync('sha256sum', { input: calico, encoding: 'utf8' }).stdout.split(' ')[0];
    const live = ['default/same default/same/aaaa', 'demo/changed demo/changed/0000', 'demo/old ', 'demo/other demo/other/eeee'].join('\\n');
    // WHEN
    const r = run(path.join(BOOTSTRAP, 'apply-manifests.sh'), ['bucket', 'key.zip', 'https://example.invalid/calico.yaml', sha, 'core/v1/Pod'], {}, {
      curl: `printf '${calico.replace('\n', '\\n')}' >"\${@: -1}"`, aws: `cp "${zip}" "$5"`,
      kubectl: `case "$*" in "get pods"*) printf '${live}\\n';; esac`,
    });
    // THEN only the changed Pod and the one without a value are deleted, each before the apply of the manifests
    expect(r.status).toBe(0);
    const calls = r.calls.split('\n');
    const deletes = calls.filter((l) => l.startsWith('kubectl delete pod'));
    expect(deletes).toEqual([
      'kubectl delete pod -n demo changed --wait=true --timeout=120s',
      'kubectl delete pod -n demo old --wait=true --timeout=120s',
    ]);
    const lastApply = calls.map((l, i) => [l, i] as const).filter(([l]) => l.startsWith('kubectl apply')).pop()?.[1] ?? -1;
    expect(calls.findIndex((l) => l.startsWith('kubectl delete pod'))).toBeLessThan(lastApply);
    expect(r.stderr).toContain('Pod demo/changed changed: deleting it');
  });
});

describe('drain.sh', () => {
  test('drains only this stack\'s terminating workers, deletes the Node and continues the termination', () => {
    const r = run(path.join(BOOTSTRAP, 'drain.sh'), [], { DRAIN_HOOK: 'multinic-drain', DRAIN_TIMEOUT: '300' }, {
      aws: [
        'case "$*" in',
        '  *describe-auto-scaling-groups*) printf "asg-workers\\tasg-cp\\n";;',
        '  *describe-auto-scaling-instances*) printf "i-0aaa\\tasg-workers\\ni-0bbb\\tother-stack-asg\\n";;',
        '  *describe-instances*) echo 10.0.3.9;;',
        'esac',
      ].join('\n'),
      kubectl: 'case "$*" in "get nodes"*) echo ip-10-0-3-9;; esac',
    });
    expect(r.status).toBe(0);
    expect(r.calls).toContain('kubectl drain ip-10-0-3-9 --ignore-daemonsets --delete-emptydir-data --force --timeout=300s');
    expect(r.calls).toContain('kubectl delete node ip-10-0-3-9');
    expect(r.calls).toContain('aws autoscaling complete-lifecycle-action --lifecycle-hook-name multinic-drain --auto-scaling-group-name asg-workers --instance-id i-0aaa --lifecycle-action-result CONTINUE');
    expect(r.calls).not.toContain('i-0bbb --lifecycle-action-result');
    expect(r.calls).toContain('Name=tag:aws:cloudformation:stack-name,Values=multinic-test-cluster');
  });
});
