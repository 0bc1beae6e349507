import { parseArgs } from 'node:util';
import { MultinicError } from '../lib/errors';
import type { Io } from './cli';
import { COMMANDS } from './commands';

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length), 8);
  return [
    'multinic: multi-NIC Kubernetes on AWS EC2 from one network intent',
    '',
    'Usage: multinic <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `multinic <command> --help` for a command\'s options.',
  ].join('\n');
}

/**
 * Entry point shared by the binary and the tests. User mistakes (MultinicError, bad flags) print one clear
 * message and return a non-zero code; a stack trace is printed only for real bugs, or with MULTINIC_DEBUG=1.
 */
export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`multinic: unknown command "${name}". Commands: ${COMMANDS.map((c) => c.name).join(', ')}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof MultinicError) {
      io.err(`multinic ${name}: ${e.message}`);
      return e.code === 'USAGE' || e.code === 'INTERNAL' ? 2 : 1;
    }
    if (isParseArgsError(e)) {
      io.err(`multinic ${name}: ${(e as Error).message}\n\n${command.usage}`);
      return 2;
    }
    if (process.env.MULTINIC_DEBUG) throw e;
    io.err(`multinic ${name}: internal error: ${(e as Error)?.message ?? String(e)} (set MULTINIC_DEBUG=1 for a stack trace, and please report it)`);
    return 70;
  }
}

function isParseArgsError(e: unknown): boolean {
  const code = (e as { code?: string })?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

/** Re-exported so commands parse flags the same way. */
export { parseArgs };
