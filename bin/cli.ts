import type { StatusSink } from './progress';

/** Shared shape of `multinic` sub-commands. Each command lives in `bin/commands/<name>.ts`. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** A terminal for live status lines (bin/progress.ts); undefined when stderr is not a TTY. @default undefined */
  readonly status?: StatusSink;
}

export interface Command {
  /** First word on the command line, e.g. `validate`. */
  readonly name: string;
  /** One line for `multinic --help`. */
  readonly summary: string;
  /** Full usage text for `multinic <name> --help`. */
  readonly usage: string;
  /** Runs the command and returns the process exit code. Throw `MultinicError` for user mistakes. */
  run(args: string[], io: Io): Promise<number>;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  get status() { return process.stderr.isTTY ? process.stderr : undefined; },
};
