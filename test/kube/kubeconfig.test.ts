import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { MultinicError } from '../../lib/errors';
import { kubeconfigPath, loadKubeconfig, parseKubeconfig } from '../../lib/kube/kubeconfig';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-kubeconfig-'));
const file = path.join(dir, 'config');
const b64 = (s: string) => Buffer.from(s).toString('base64');

function config(extra: { cluster?: object; user?: object; current?: string | null } = {}): string {
  return stringify({
    apiVersion: 'v1', kind: 'Config',
    ...(extra.current === null ? {} : { 'current-context': extra.current ?? 'admin@lab' }),
    clusters: [
      { name: 'lab', cluster: { server: 'https://10.0.0.10:6443/', 'certificate-authority-data': b64('CA PEM'), ...extra.cluster } },
      { name: 'other', cluster: { server: 'https://other:6443' } },
    ],
    users: [
      { name: 'admin', user: { 'client-certificate-data': b64('CERT PEM'), 'client-key-data': b64('KEY PEM'), ...extra.user } },
      { name: 'viewer', user: { token: 'abc.def' } },
    ],
    contexts: [
      { name: 'admin@lab', context: { cluster: 'lab', user: 'admin' } },
      { name: 'viewer@other', context: { cluster: 'other', user: 'viewer' } },
      { name: 'broken', context: { cluster: 'gone', user: 'admin' } },
    ],
  });
}

describe('parseKubeconfig', () => {
  test('the current context: server without trailing slash, CA and client certificate from the -data fields', () => {
    // GIVEN kubeadm's admin.conf shape WHEN parsed
    const c = parseKubeconfig(config(), file);
    // THEN the credentials are the decoded PEM blocks
    expect({ ...c, ca: c.ca?.toString(), cert: c.cert?.toString(), key: c.key?.toString() }).toEqual({
      context: 'admin@lab', server: 'https://10.0.0.10:6443', ca: 'CA PEM', insecureSkipTlsVerify: false,
      token: undefined, cert: 'CERT PEM', key: 'KEY PEM',
    });
  });

  test('a named context with a bearer token and no CA', () => {
    const c = parseKubeconfig(config(), file, 'viewer@other');
    expect([c.context, c.server, c.token, c.ca, c.cert]).toEqual(['viewer@other', 'https://other:6443', 'abc.def', undefined, undefined]);
  });

  test('file paths are read relative to the kubeconfig\'s directory; tokenFile is trimmed; insecure-skip-tls-verify is honoured', () => {
    // GIVEN files next to the kubeconfig
    fs.writeFileSync(path.join(dir, 'ca.crt'), 'CA FILE');
    fs.writeFileSync(path.join(dir, 'token'), 'tok-from-file\n');
    fs.writeFileSync(path.join(dir, 'c.crt'), 'CERT FILE');
    fs.writeFileSync(path.join(dir, 'c.key'), 'KEY FILE');
    const text = config({
      cluster: { 'certificate-authority-data': undefined, 'certificate-authority': 'ca.crt', 'insecure-skip-tls-verify': true },
      user: { 'client-certificate-data': undefined, 'client-key-data': undefined, 'client-certificate': 'c.crt', 'client-key': path.join(dir, 'c.key'), tokenFile: 'token' },
    });
    // WHEN parsed
    const c = parseKubeconfig(text, file);
    // THEN every file was read
    expect([c.ca?.toString(), c.cert?.toString(), c.key?.toString(), c.token, c.insecureSkipTlsVerify]).toEqual(['CA FILE', 'CERT FILE', 'KEY FILE', 'tok-from-file', true]);
  });

  test.each<[string, string, string | undefined, string]>([
    ['no current context', config({ current: null }), undefined, `${file}: has no current-context; set one (kubectl config use-context NAME).`],
    ['an unknown context', config(), 'nope', `${file}: no context named "nope" in contexts; known: admin@lab, viewer@other, broken.`],
    ['a context whose cluster is gone', config(), 'broken', `${file}: no cluster named "gone" in clusters; known: lab, other.`],
    ['an exec plugin', config({ user: { exec: { command: 'aws' } } }), undefined,
      `${file}: user "admin" authenticates through exec, which multinic does not run; use a context with a token or a client certificate (kubeadm's admin.conf has one).`],
    ['a certificate without its key', config({ user: { 'client-key-data': undefined } }), undefined,
      `${file}: user "admin" has a client certificate without its key (or a key without its certificate).`],
    ['a server that is not a URL', config({ cluster: { server: '10.0.0.10:6443' } }), undefined,
      `${file}: cluster "lab" has no server URL (got "10.0.0.10:6443"); expected https://HOST:PORT.`],
    ['a missing CA file', config({ cluster: { 'certificate-authority-data': undefined, 'certificate-authority': 'missing.crt' } }), undefined,
      `${file}: cannot read certificate authority ${path.join(dir, 'missing.crt')} (ENOENT).`],
    ['not a mapping', '- a\n- b\n', undefined, `${file}: is not a kubeconfig (expected a YAML mapping with clusters, users and contexts).`],
  ])('%s is a KUBECONFIG error that says what to do', (_what, text, context, message) => {
    expect(() => parseKubeconfig(text, file, context)).toThrow(new MultinicError('KUBECONFIG', message));
  });

  test('YAML that does not parse', () => {
    expect(() => parseKubeconfig('a: [', file)).toThrow(/is not YAML/);
  });
});

describe('kubeconfigPath and loadKubeconfig', () => {
  test.each<[string | undefined, Record<string, string>, string]>([
    ['/flag', { KUBECONFIG: '/env' }, '/flag'],
    [undefined, { KUBECONFIG: `/first${path.delimiter}/second` }, '/first'],
    [undefined, { KUBECONFIG: `${path.delimiter}/second` }, '/second'],
    [undefined, {}, path.join(os.homedir(), '.kube', 'config')],
  ])('flag %s with env %j reads %s', (flag, env, expected) => {
    expect(kubeconfigPath(flag, env)).toBe(expected);
  });

  test('a missing file names the flag, the variable and kubeadm\'s admin.conf', () => {
    expect(() => loadKubeconfig(path.join(dir, 'none'))).toThrow(new MultinicError('KUBECONFIG',
      `cannot read kubeconfig ${path.join(dir, 'none')} (ENOENT); pass --kubeconfig FILE or set KUBECONFIG (kubeadm writes /etc/kubernetes/admin.conf on the control plane).`));
  });

  test('loads a file from disk', () => {
    fs.writeFileSync(file, config());
    expect(loadKubeconfig(file).server).toBe('https://10.0.0.10:6443');
  });
});
