/**
 * cdk-nag (AwsSolutions), aws-cdk-lib's strict CloudFormation validation and cfn-lint over both stacks of an eks
 * intent: zero findings, every exception acknowledged in code with its reason.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addEksStacks } from '../../../infra/eks/stacks';
import { requireTools } from '../../util/require-tool';
import { cdkJsonContext, ENI_SCRIPT_FIXTURE } from '../util';
import { manifestsFor, richEksIntent } from './util';

interface Report { pluginReports: Array<{ violations?: unknown[] }> }

describe('EKS stacks: validation', () => {
  let outdir = '';
  beforeAll(() => {
    delete process.env.CDK_VALIDATION;
    // GIVEN both stacks of the rich eks intent with cdk.json's context and cdk-nag, synthesized once
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-eks-validate-'));
    const app = new App({ outdir, context: cdkJsonContext() });
    const intent = richEksIntent();
    addEksStacks(app, { intent, manifestsDir: manifestsFor(intent), eniScript: ENI_SCRIPT_FIXTURE });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    app.synth();
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('cdk-nag AwsSolutions and the strict built-in validation report zero findings', () => {
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as Report;
    expect(report.pluginReports.length).toBeGreaterThan(0);
    expect(report.pluginReports.flatMap((p) => p.violations ?? [])).toEqual([]);
  });

  requireTools(['cfn-lint']).test('cfn-lint reports nothing but W3005 on aws-eks-v2\'s own redundant DependsOn', () => {
    const templates = fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json')).map((f) => path.join(outdir, f));
    expect(templates).toHaveLength(2);
    // W3005: aws-eks-v2 adds DependsOn on the kubectl handler's role next to a GetAtt of it (not ours to change).
    const out = execFileSync('cfn-lint', ['--format', 'parseable', '--ignore-checks', 'W3005', '--', ...templates], { encoding: 'utf8', timeout: 120_000 });
    expect(out.trim()).toBe('');
  });
});
