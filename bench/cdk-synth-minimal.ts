/**
 * Baseline for bench/cdk-synth.sh: the smallest useful CDK app, one EC2 instance from the same Ubuntu SSM
 * parameter, synthesized by the same CLI with the same validation settings.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { INFRA_DEFAULTS } from '../infra/defaults';

const app = new App();
const stack = new Stack(app, 'MinimalInstance');
new ec2.CfnInstance(stack, 'Instance', {
  imageId: ec2.MachineImage.fromSsmParameter(INFRA_DEFAULTS.ubuntuAmiParameter).getImage(stack).imageId,
  instanceType: 'm6i.large',
  metadataOptions: { httpTokens: 'required' },
});
app.synth();
