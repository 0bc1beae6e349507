/**
 * Running things for the box: bounded synchronous commands, and daemons started with `setsid` (so a signal to the
 * caller's process group never reaches them) that carry the box's marker in their environment.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { MARKER_ENV } from '../box';

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command with a time bound (default 60 s); never throws. */
export function run(cmd: string, args: readonly string[], opts: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): RunResult {
  const r = spawnSync(cmd, [...args], {
    input: opts.input, encoding: 'utf8', timeout: opts.timeoutMs ?? 60_000, killSignal: 'SIGKILL', env: opts.env ?? process.env,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? r.error?.message ?? '' };
}

/** Runs a command that must succeed; throws with its stderr otherwise. */
export function must(cmd: string, args: readonly string[], opts: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): string {
  const r = run(cmd, args, opts);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${(r.stderr || r.stdout).trim().slice(-2000)}`);
  return r.stdout;
}

/** Async variant of `run`, for waits that must not block the event loop. */
export function runAsync(cmd: string, args: readonly string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, [...args], { env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', (e) => { clearTimeout(timer); resolve({ status: null, stdout, stderr: stderr + e.message }); });
    child.on('close', (status) => { clearTimeout(timer); resolve({ status, stdout, stderr }); });
  });
}

/**
 * Starts a daemon in its own session, detached, stdout and stderr appended to `log`, with `MULTINIC_BOX=<cluster>`
 * in its environment (how `down` finds it). Returns its pid.
 */
export function daemon(cluster: string, cmd: string, args: readonly string[], log: string, env: NodeJS.ProcessEnv = {}): number {
  const fd = fs.openSync(log, 'a');
  try {
    const child = spawn('setsid', [cmd, ...args], {
      detached: true, stdio: ['ignore', fd, fd],
      env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', ...env, [MARKER_ENV]: cluster },
    });
    child.unref();
    if (child.pid === undefined) throw new Error(`cannot start ${cmd}`);
    return child.pid;
  } finally {
    fs.closeSync(fd);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `check` every `everyMs` until it returns a value other than undefined, or throws after `timeoutMs` with `what`. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => T | undefined | Promise<T | undefined>, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await sleep(everyMs);
  }
}
