import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MultinicError } from '../../lib/errors';
import { defaultIntentPath, loadIntentFile, parseIntent } from '../../lib/intent/load';

const DEFAULT_TEXT = fs.readFileSync(defaultIntentPath(), 'utf8');
/** The seed's networks as the notes had them (host-local, Whereabouts). */
const SEED_TEXT = fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'seed-faithful.yaml'), 'utf8');

describe('parseIntent', () => {
  test('the embedded default intent parses, with defaults applied', () => {
    // WHEN
    const r = parseIntent(DEFAULT_TEXT);
    // THEN
    expect(r.findings).toEqual([]);
    expect(r.intent?.metadata.name).toBe('seed-lab');
    expect(r.intent?.spec.vpc.mtu).toBe(9001);
    expect(r.intent?.spec.networks.map((n) => `${n.namespace}/${n.name}:${n.type}:${n.cniVersion}`)).toEqual([
      'default/ipvlan-conf:ipvlan:1.0.0',
      'dcjeon/whereabouts-eth1-conf:ipvlan:1.0.0',
      'redhet-demo/ipvlan-whereabouts-net-attach-def:ipvlan:1.0.0',
      'redhet-demo/routable-net:ipvlan:1.0.0',
    ]);
  });

  test('the seed\'s misspelt IPAM plugin gets a did-you-mean at its line and column', () => {
    // GIVEN
    const text = SEED_TEXT.replace('type: whereabouts\n        range: 10.4.128.0/24', 'type: whereaboutsss\n        range: 10.4.128.0/24');
    const line = text.split('\n').findIndex((l) => l.includes('whereaboutsss')) + 1;
    // WHEN
    const r = parseIntent(text);
    // THEN
    expect(r.intent).toBeUndefined();
    expect(r.findings).toEqual([{
      id: 'multinic:UnknownIpamPlugin', level: 'error', path: 'spec.networks[1].ipam.type',
      message: 'spec.networks[1].ipam.type: unknown IPAM plugin "whereaboutsss"; did you mean "whereabouts"? Known: host-local, static, whereabouts, dhcp, eni-prefix',
      fix: 'Change it to "whereabouts".', line, column: 15,
    }]);
  });

  test('an unknown CNI plugin lists the known ones', () => {
    const r = parseIntent(DEFAULT_TEXT.replace('type: ipvlan\n      master: multus0\n      mode: l2\n      ipam:\n        type: eni-prefix', 'type: sriov\n      master: multus0\n      mode: l2\n      ipam:\n        type: eni-prefix'));
    expect(r.findings.map((f) => f.message)).toEqual([
      'spec.networks[0].type: unknown CNI plugin "sriov". Known: macvlan, ipvlan, bridge, host-device',
    ]);
  });

  test('an unknown field names the allowed ones, with a did-you-mean', () => {
    // GIVEN a typo in a subnet field
    const r = parseIntent(DEFAULT_TEXT.replace('      zone: a\n  nodeGroups', '      zome: a\n  nodeGroups'));
    // THEN both the typo and the now-missing field are reported
    const unknown = r.findings.find((f) => f.id === 'multinic:UnknownField');
    expect(unknown?.message).toBe('spec.subnets[0]: unknown field "zome" (did you mean "zone"?)');
    expect(unknown?.fix).toBe('Remove it or use one of: name, cidr, zone, podCidrReservation.');
    expect(r.findings.find((f) => f.id === 'multinic:Schema')?.message).toBe('spec.subnets[0].zone: required field is missing (expected string)');
  });

  test('a wrong type says what it got', () => {
    const r = parseIntent(DEFAULT_TEXT.replace('count: 2', 'count: two'));
    expect(r.findings.map((f) => f.message)).toEqual(['spec.nodeGroups[1].count: expected number, got string "two"']);
    expect(r.findings[0].line).toBe(DEFAULT_TEXT.split('\n').findIndex((l) => l.includes('count: 2')) + 1);
  });

  test('an enum value gets a did-you-mean', () => {
    const r = parseIntent(DEFAULT_TEXT.replace('mode: l2', 'mode: l2s'));
    expect(r.findings[0].message).toBe('spec.networks[0].mode: invalid value "l2s"; did you mean "l2"? Allowed: "l2", "l3", "l3s"');
  });

  test('YAML syntax errors carry their position', () => {
    const r = parseIntent('apiVersion: multinic.dev/v1alpha1\nkind: [NetworkIntent\n');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0].id).toBe('multinic:YamlSyntax');
    expect(r.findings[0].line).toBeGreaterThanOrEqual(2);
    expect(r.findings[0].message).toMatch(/^network-intent\.yaml is not valid YAML: /);
  });

  test('duplicate keys are YAML errors, not a silent last-one-wins', () => {
    const r = parseIntent(DEFAULT_TEXT.replace('  name: seed-lab\n', '  name: seed-lab\n  name: other\n'));
    expect(r.findings.map((f) => f.id)).toEqual(['multinic:YamlSyntax']);
  });
});

describe('a file that is not an intent at all', () => {
  const START = 'Start from the default network-intent.yaml: apiVersion: multinic.dev/v1alpha1, kind: NetworkIntent, metadata.name and spec (docs/intent.md).';
  test.each([
    ['an empty file', '', '(document): the file is empty (or holds only comments)'],
    ['only comments', '# nothing yet\n', '(document): the file is empty (or holds only comments)'],
    ['a list', '- a\n- b\n', '(document): the document must be a mapping (apiVersion, kind, metadata, spec), got a list'],
    ['a word', 'hello\n', '(document): the document must be a mapping (apiVersion, kind, metadata, spec), got string "hello"'],
    ['binary data', 'ELF\u0002\u0001\u0001\u0000\u0000', '(document): the document must be a mapping (apiVersion, kind, metadata, spec), got binary data (is this a YAML file?)'],
  ])('%s: one finding that says what the file holds and where to start', (_what, text, message) => {
    const r = parseIntent(text);
    expect(r.findings.map((f) => [f.id, f.message, f.fix])).toEqual([['multinic:Schema', message, START]]);
  });

  test('a wrong type names the field and the YAML shape to write (never "Write  as a object")', () => {
    const r = parseIntent('apiVersion: multinic.dev/v1alpha1\nkind: NetworkIntent\nmetadata: 5\nspec: []\n');
    expect(r.findings.map((f) => f.fix)).toEqual(['Write metadata as a mapping (key: value lines).', 'Write spec as a mapping (key: value lines).']);
  });
});

describe('loadIntentFile', () => {
  test('a directory is named as one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-dir-'));
    try {
      expect(() => loadIntentFile(dir)).toThrow(`cannot read intent file ${dir}: it is a directory. Pass an existing file with -i FILE.`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a missing file is a MultinicError naming the file and the fix', () => {
    const file = path.join(os.tmpdir(), `multinic-missing-${process.pid}.yaml`);
    expect(() => loadIntentFile(file)).toThrow(MultinicError);
    expect(() => loadIntentFile(file)).toThrow(`cannot read intent file ${file}: no such file. Pass an existing file with -i FILE.`);
  });
});
