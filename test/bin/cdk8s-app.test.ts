import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const APP = path.join(ROOT, 'build/bin/cdk8s-app.js');
const MULTINIC = path.join(ROOT, 'build/bin/multinic.js');

// The compiled entry points are what `npx cdk8s synth` (cdk8s.yaml) and `npm run synth` run; `npm test` builds first.
describe('cdk8s.yaml app (npx cdk8s synth)', () => {
  test('renders the same manifests as multinic synth for the default intent', () => {
    // GIVEN
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-cdk8s-'));
    const viaCdk8s = path.join(tmp, 'cdk8s');
    const viaCli = path.join(tmp, 'cli');
    // WHEN
    execFileSync(process.execPath, [APP], { cwd: ROOT, env: { ...process.env, CDK8S_OUTDIR: viaCdk8s }, stdio: 'pipe' });
    execFileSync(process.execPath, [MULTINIC, 'synth', '-o', viaCli], { cwd: ROOT, stdio: 'pipe' });
    // THEN
    const k8s = (d: string) => fs.readdirSync(d).filter((f) => f.endsWith('.k8s.yaml')).sort();
    expect(k8s(viaCdk8s)).toEqual(k8s(viaCli));
    for (const f of k8s(viaCli)) expect(fs.readFileSync(path.join(viaCdk8s, f), 'utf8')).toBe(fs.readFileSync(path.join(viaCli, f), 'utf8'));
  });

  test('MULTINIC_INTENT with an invalid intent prints findings and exits 1 without writing', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-cdk8s-'));
    const intent = path.join(tmp, 'bad.yaml');
    fs.writeFileSync(intent, fs.readFileSync(path.join(ROOT, 'network-intent.yaml'), 'utf8').replace(/master: multus0/, 'master: eth1'));
    const out = path.join(tmp, 'out');
    const r = spawnSync(process.execPath, [APP], { cwd: ROOT, env: { ...process.env, CDK8S_OUTDIR: out, MULTINIC_INTENT: intent }, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('error multinic:MasterNotOnAnyNode');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(out)).toBe(false);
  });
});
