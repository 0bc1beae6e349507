import type { Command } from '../cli';
import { MultinicError } from '../../lib/errors';

const USAGE_HEAD = [
  'Usage: multinic verify --aws | --k8s | --selftest [options]',
  '',
  'Compares a deployed cluster with the intent and exits 1 on drift (--selftest: on a failed connectivity case).',
  '',
].join('\n');

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'Compare a deployed cluster with the intent: EC2 ENIs (--aws), pods and nodes (--k8s), connectivity self-test (--selftest)',
  get usage() {
    // Loaded on demand: the AWS SDK is heavy and --help needs only the text.
    const { VERIFY_AWS_USAGE } = require('./private/verify-aws') as typeof import('./private/verify-aws');
    const { VERIFY_K8S_USAGE } = require('./private/verify-k8s') as typeof import('./private/verify-k8s');
    const { VERIFY_SELFTEST_USAGE } = require('./private/verify-selftest') as typeof import('./private/verify-selftest');
    return `${USAGE_HEAD}${VERIFY_AWS_USAGE}\n\n${VERIFY_K8S_USAGE}\n\n${VERIFY_SELFTEST_USAGE}`;
  },
  async run(args, io) {
    if (args.includes('--aws')) return (await import('./private/verify-aws')).runVerifyAws(args, io);
    if (args.includes('--k8s')) return (await import('./private/verify-k8s')).runVerifyK8s(args, io);
    if (args.includes('--selftest')) return (await import('./private/verify-selftest')).runVerifySelftest(args, io);
    throw new MultinicError('USAGE', 'say what to verify: --aws (EC2 instances and ENIs) or --k8s (pods and nodes)');
  },
};
