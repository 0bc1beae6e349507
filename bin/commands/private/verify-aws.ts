import { parseArgs } from 'node:util';
import { EC2Client } from '@aws-sdk/client-ec2';
import { MultinicError } from '../../../lib/errors';
import { observeFleet, type ObserveFleetOptions } from '../../../lib/aws/verify-aws';
import { verifyFleet } from '../../../lib/verify/aws';
import type { Io } from '../../cli';
import { progressFor } from '../../progress';
import { intentToVerify, printRows, runMode } from './verify-common';

export const VERIFY_AWS_USAGE = `Usage: multinic verify --aws [--stack NAME] [--region R] [-i FILE] [--problems-only] [--json]

Compares the intent's node groups with the running EC2 instances tagged multinic.dev/cluster=<cluster>: node count
per group and, on every node, each secondary ENI at its device index: subnet (by CIDR), number of /28 prefixes,
tag node.k8s.amazonaws.com/no_manage=true, source/destination check.

  --stack NAME       the cluster to look for: the intent's metadata.name (default), or a stack name
                     multinic-<name>-cluster / multinic-<name>-network
  --region R         AWS region (default: AWS_REGION / the profile's region)
  -i, --input FILE   intent file (default: $MULTINIC_INTENT, else the embedded network-intent.yaml)
  --problems-only    print only rows that differ (the summary still counts all)
  --json             machine-readable rows

Needs ec2:DescribeInstances, ec2:DescribeNetworkInterfaces and ec2:DescribeSubnets. Progress shows on a terminal
(stderr), never with --json.
Exit status: 0 as intended, 1 drift (or no credentials, no region, access denied), 2 usage error.`;

/** What --aws needs from the outside world; tests pass their own client. */
export interface VerifyAwsDeps {
  /** @default - a new EC2Client for the region (SDK default chain when undefined) */
  readonly makeClient?: (region: string | undefined) => EC2Client;
  readonly observe?: Pick<ObserveFleetOptions, 'pageSize' | 'filterChunk'>;
}

/** The cluster tag value `--stack` names: `multinic-<name>-cluster` / `-network`, or the name itself. */
export function clusterFromStack(stack: string): string {
  const m = /^multinic-(.+)-(cluster|network)$/.exec(stack);
  const name = m ? m[1] : stack;
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
    throw new MultinicError('USAGE', `--stack "${stack}" is neither a cluster name nor a stack name multinic-<name>-cluster; pass the intent's metadata.name.`);
  }
  return name;
}

/** `multinic verify --aws ...` (args without `--aws`). Returns the exit code; never throws for user mistakes. */
export async function runVerifyAws(args: string[], io: Io, deps: VerifyAwsDeps = {}): Promise<number> {
  const prog = 'multinic verify --aws';
  return runMode(prog, VERIFY_AWS_USAGE, io, async () => {
    const { values, positionals } = parseArgs({
      args: args.filter((a) => a !== '--aws'),
      options: {
        stack: { type: 'string' }, region: { type: 'string' }, input: { type: 'string', short: 'i' },
        json: { type: 'boolean' }, 'problems-only': { type: 'boolean' },
      },
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length > 0) throw new MultinicError('USAGE', `unexpected argument "${positionals[0]}"`);
    const cluster = values.stack !== undefined ? clusterFromStack(values.stack) : undefined;
    const intent = intentToVerify(values.input, io);
    const name = cluster ?? intent.metadata.name;
    const client = (deps.makeClient ?? ((region) => new EC2Client(region ? { region } : {})))(values.region);
    const progress = progressFor(io, { prefix: prog, json: values.json });
    const instances = await progress.track('asking EC2', observeFleet(client, name, {
      ...deps.observe,
      onPage: (op, page, total) => progress.step(`${op}: page ${page}, ${total} so far`),
    }));
    if (instances.length === 0) io.err(`${prog}: no running instance is tagged multinic.dev/cluster=${name}${values.region ? ` in ${values.region}` : ''}; is the cluster deployed there?`);
    return printRows(io, verifyFleet(intent, instances), { json: values.json, problemsOnly: values['problems-only'] });
  });
}
