/**
 * The one place where cdk-nag (AwsSolutions) and aws-cdk-lib's built-in CloudFormation validation run (strict, as in
 * cdk.json): both stacks of the rich intent must synthesize with zero findings in the validation report.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addMultinicStacks } from '../../infra/stacks';
import { cdkJsonContext, ENI_SCRIPT_FIXTURE, MANIFESTS_FIXTURE, richIntent } from './util';

interface Report { pluginReports: Array<{ pluginName?: string; summary?: { status?: string }; violations?: unknown[] }> }

function readReport(outdir: string): Report {
  return JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as Report;
}

const violations = (r: Report) => r.pluginReports.flatMap((p) => p.violations ?? []);

describe('validation', () => {
  beforeAll(() => { delete process.env.CDK_VALIDATION; });

  test('cdk-nag AwsSolutions and strict built-in CloudFormation validation report zero findings', () => {
    // GIVEN both stacks of an intent that uses every AWS-side feature, with the context of cdk.json
    expect(cdkJsonContext()['@aws-cdk/core:validateAgainstDefaultRules']).toBe(true);
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-validate-'));
    const app = new App({ outdir, context: cdkJsonContext() });
    addMultinicStacks(app, { intent: richIntent(), manifestsDir: MANIFESTS_FIXTURE, eniScript: ENI_SCRIPT_FIXTURE });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    // WHEN it is synthesized
    app.synth();
    // THEN the report exists and holds no violation
    const report = readReport(outdir);
    expect(violations(report)).toEqual([]);
  });

  test('the same setup does report findings of both (the check can fail)', () => {
    // GIVEN a security group open to the world (AwsSolutions-EC23) and a launch template override with an unknown
    // property (CloudFormation schema, F3002)
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-validate-bad-'));
    const app = new App({ outdir, context: cdkJsonContext() });
    const stack = new Stack(app, 'Bad');
    const sg = new ec2.CfnSecurityGroup(stack, 'Open', { groupDescription: 'open', vpcId: 'vpc-0123456789abcdef0' });
    new ec2.CfnSecurityGroupIngress(stack, 'World', { groupId: sg.attrGroupId, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '0.0.0.0/0' });
    const lt = new ec2.CfnLaunchTemplate(stack, 'Template', { launchTemplateData: { instanceType: 'm6i.large' } });
    lt.addPropertyOverride('LaunchTemplateData.NetworkInterfaces', [{ DeviceIndex: 1, Bogus: true }]);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    // WHEN it is synthesized THEN synth fails and the report names both rules
    expect(() => app.synth()).toThrow();
    const found = JSON.stringify(violations(readReport(outdir)));
    expect(found).toContain('AwsSolutions-EC23');
    expect(found).toContain('F3002');
  });
});
