import * as fs from 'node:fs';
import * as path from 'node:path';
import { EC2Client } from '@aws-sdk/client-ec2';
import { MultinicError } from '../../lib/errors';
import type { Architecture, InstanceTypeInfo } from '../../lib/aws/instance-type-info';
import { Catalogue, filterTypes, type TypeFilter } from '../../lib/aws/instance-types';
import { describeInstanceTypes, ec2Filters, offeringsInZone, type LiveOptions } from '../../lib/aws/live';
import { renderGenerated } from '../../lib/aws/snapshot-source';
import { parseArgs } from 'node:util';
import type { Io } from '../cli';
import { progressFor, type Progress } from '../progress';
import type { Command } from '../cli';

/** What the command needs from the outside world; tests pass their own. */
export interface InstanceTypesDeps {
  /** @default - a new EC2Client for the region (SDK default chain when undefined) */
  readonly makeClient?: (region: string | undefined) => EC2Client;
  readonly live?: Pick<LiveOptions, 'sleep' | 'maxAttempts'>;
  /** @default - fs.writeFileSync */
  readonly writeFile?: (file: string, text: string) => void;
  /** Today's date for `refresh` headers. @default - the current UTC date */
  readonly today?: () => string;
}

const USAGE = `Usage: multinic instance-types [--min-enis N] [--ena required|supported] [--efa] [--arch x86_64|arm64]
                               [--zone ZONE] [--live] [--region R] [--json]
       multinic instance-types refresh [--region R] [--out FILE]

Lists instance types that fit multi-NIC nodes. Without --live the answer comes from the embedded snapshot
(lib/aws/instance-types.generated.ts); --live asks EC2 (DescribeInstanceTypes, and DescribeInstanceTypeOfferings
for --zone). Without credentials --live says so and answers from the snapshot.

  --min-enis N   at least N ENIs on the default network card (primary included)
  --ena V        required: types that require ENA; supported: required or supported
  --efa          only EFA-capable types
  --arch A       x86_64 or arm64
  --zone Z       only types offered in availability zone Z (needs --live)
  --json         machine-readable output

refresh: regenerates the snapshot from DescribeInstanceTypes (all types of the region), sorted and stable.
  --out FILE     @default lib/aws/instance-types.generated.ts`;

function positiveInt(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new MultinicError('USAGE', `--${flag} must be a whole number of at least 1, got "${v}"`);
  return Number(v);
}

function oneOf<T extends string>(flag: string, v: string | undefined, allowed: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw new MultinicError('USAGE', `--${flag} must be one of ${allowed.join(', ')}, got "${v}"`);
  return v as T;
}

/** A fixed-width table: TYPE ENIS IPV4/ENI ENA EFA NITRO ARCH. */
export function formatTable(types: readonly InstanceTypeInfo[]): string {
  const rows = types.map((t) => [
    t.name,
    t.enisPerCard.length > 1 ? `${t.maxEnisDefaultCard} (${t.maxEnis} on ${t.enisPerCard.length} cards)` : String(t.maxEnisDefaultCard),
    String(t.ipv4PerEni), t.ena, t.efa ? 'yes' : 'no', t.nitro ? (t.bareMetal ? 'metal' : 'yes') : 'no', t.architectures.join(','),
  ]);
  const head = ['TYPE', 'ENIS', 'IPV4/ENI', 'ENA', 'EFA', 'NITRO', 'ARCH'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [head, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

export function instanceTypesCommand(deps: InstanceTypesDeps = {}): Command {
  const makeClient = deps.makeClient ?? ((region) => new EC2Client(region ? { region } : {}));
  const pages = (status: Progress, what: string) => (page: number, total: number) => status.step(`${what}: page ${page}, ${total} so far`);

  async function refresh(args: string[], io: Io): Promise<number> {
    const { values } = parseArgs({ args, options: { region: { type: 'string' }, out: { type: 'string' } }, strict: true });
    const client = makeClient(values.region);
    const status = progressFor(io, { prefix: 'multinic instance-types refresh' });
    const types = await status.track('DescribeInstanceTypes', describeInstanceTypes(client, [], { ...deps.live, onPage: pages(status, 'DescribeInstanceTypes') }));
    const region = values.region ?? (await client.config.region());
    const date = (deps.today ?? (() => new Date().toISOString().slice(0, 10)))();
    const text = renderGenerated(types, { source: `EC2 DescribeInstanceTypes, region ${region}`, date }, 'multinic instance-types refresh');
    const out = values.out ?? path.join('lib', 'aws', 'instance-types.generated.ts');
    (deps.writeFile ?? ((f, t) => fs.writeFileSync(f, t)))(out, text);
    io.out(`wrote ${out}: ${types.length} instance types from ${region}`);
    return 0;
  }

  return {
    name: 'instance-types',
    summary: 'List instance types that fit multi-NIC nodes (ENIs, IPv4 per ENI, ENA, EFA), from the snapshot or --live.',
    usage: USAGE,
    async run(args: string[], io: Io): Promise<number> {
      if (args[0] === 'refresh') return refresh(args.slice(1), io);
      const { values, positionals } = parseArgs({
        args,
        options: {
          'min-enis': { type: 'string' }, ena: { type: 'string' }, efa: { type: 'boolean' }, arch: { type: 'string' },
          zone: { type: 'string' }, live: { type: 'boolean' }, region: { type: 'string' }, json: { type: 'boolean' },
        },
        strict: true,
        allowPositionals: true,
      });
      if (positionals.length > 0) throw new MultinicError('USAGE', `unexpected argument "${positionals[0]}"; the only sub-command is "refresh"`);
      const filter: TypeFilter = {
        minEnis: positiveInt('min-enis', values['min-enis']),
        ena: oneOf('ena', values.ena, ['required', 'supported'] as const),
        efa: values.efa,
        arch: oneOf<Architecture>('arch', values.arch, ['x86_64', 'arm64']),
      };

      let types: readonly InstanceTypeInfo[] = Catalogue.snapshot().types;
      let from = `snapshot of ${Catalogue.snapshot().meta.date}`;
      let offered: Set<string> | undefined;
      if (values.live) {
        const status = progressFor(io, { prefix: 'multinic instance-types', json: values.json });
        try {
          status.step('DescribeInstanceTypes');
          const client = makeClient(values.region);
          types = await describeInstanceTypes(client, ec2Filters(filter), { ...deps.live, onPage: pages(status, 'DescribeInstanceTypes') });
          if (values.zone) offered = await offeringsInZone(client, values.zone, { ...deps.live, onPage: pages(status, `offerings in ${values.zone}`) });
          from = `EC2 DescribeInstanceTypes${values.region ? ` in ${values.region}` : ''}`;
          status.end();
        } catch (e) {
          status.end();
          if (!(e instanceof MultinicError) || !['AWS_NO_CREDENTIALS', 'AWS_NO_REGION'].includes(e.code)) throw e;
          io.err(`multinic instance-types: ${e.message}`);
          io.err(`multinic instance-types: answering from the ${from} instead${values.zone ? '; zone offerings were not checked' : ''}.`);
        }
      } else if (values.zone) {
        io.err(`multinic instance-types: the snapshot has no zone offerings; --zone ${values.zone} needs --live (not checked).`);
      }
      const found = filterTypes(types, { ...filter, offered });
      if (values.json) {
        io.out(JSON.stringify({ source: from, count: found.length, instanceTypes: found }, null, 2));
      } else {
        io.out(found.length === 0 ? `No instance type matches (${from}).` : `${formatTable(found)}\n\n${found.length} instance types (${from}).`);
      }
      return 0;
    },
  };
}

export const instanceTypes: Command = instanceTypesCommand();
