import type { Io } from './cli';

/**
 * Progress of a long command (`verify`, `instance-types --live`, `cluster up`): one status line on a terminal,
 * rewritten in place with the seconds spent on the current step; nothing at all with --json or when stderr is not a
 * terminal (logs and pipes stay clean), unless MULTINIC_PROGRESS=plain asks for one plain line per step (CI logs).
 *
 *   const p = progressFor(io, { prefix: 'multinic cluster up', json: values.json });
 *   p.step('building kubelet');            // replaces the status line
 *   p.note('control plane ready in 41 s'); // a permanent line above the status line
 *   await p.track('waiting for nodes', waitForNodes()); // step, then end when the promise settles
 *   p.end();                               // clears the status line; always call it (also on errors)
 */
export interface Progress {
  /** Shows `text` as the current step (replacing the previous one; the same text again keeps its clock). */
  step(text: string): void;
  /** Prints a line that stays (on a terminal or in plain mode), then redraws the current step. */
  note(text: string): void;
  /** Shows `text` while `work` runs; the status line is cleared when it settles, either way. */
  track<T>(text: string, work: Promise<T>): Promise<T>;
  /** Clears the status line and stops the timer. Safe to call more than once. */
  end(): void;
}

/** Where a live status line goes: a terminal (process.stderr when it is a TTY). */
export interface StatusSink {
  write(text: string): unknown;
  /** Terminal width; lines are cut to fit so they rewrite cleanly. @default 80 */
  readonly columns?: number;
}

export interface ProgressOptions {
  /** What every line starts with, e.g. `multinic verify --aws`. */
  readonly prefix: string;
  /** --json: print nothing. @default false */
  readonly json?: boolean;
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Milliseconds between redraws of the elapsed time; 0 redraws only on step(). @default 1000 */
  readonly tickMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

const SILENT: Progress = { step() {}, note() {}, track: (_t, work) => work, end() {} };
const CLEAR = '\r\x1b[2K';

/** The progress reporter for a command run with `io` (see the module comment for when it prints what). */
export function progressFor(io: Io, opts: ProgressOptions): Progress {
  const mode = (opts.env ?? process.env).MULTINIC_PROGRESS;
  if (opts.json || mode === '0' || mode === 'off') return SILENT;
  if (mode === 'plain') return plain(io, opts.prefix);
  return io.status ? live(io.status, opts) : SILENT;
}

function plain(io: Io, prefix: string): Progress {
  return {
    step: (text) => io.err(`${prefix}: ${text}`),
    note: (text) => io.err(`${prefix}: ${text}`),
    track(text, work) { io.err(`${prefix}: ${text}`); return work; },
    end() {},
  };
}

function live(sink: StatusSink, opts: ProgressOptions): Progress {
  const now = opts.now ?? Date.now;
  const tickMs = opts.tickMs ?? 1000;
  let current: string | undefined;
  let since = now();
  let timer: ReturnType<typeof setInterval> | undefined;

  const draw = () => {
    if (current === undefined) return;
    const secs = Math.floor((now() - since) / 1000);
    const line = `${opts.prefix}: ${current}${secs > 0 ? ` (${secs} s)` : ''}`;
    const width = Math.max(20, (sink.columns ?? 80) - 1);
    sink.write(`${CLEAR}${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
  };
  const clear = () => { if (current !== undefined) sink.write(CLEAR); };
  const stopTimer = () => { if (timer) clearInterval(timer); timer = undefined; };

  const p: Progress = {
    step(text) {
      if (text !== current) since = now();
      current = text;
      draw();
      if (tickMs > 0 && !timer) {
        timer = setInterval(draw, tickMs);
        timer.unref?.();
      }
    },
    note(text) {
      clear();
      sink.write(`${opts.prefix}: ${text}\n`);
      draw();
    },
    async track(text, work) {
      p.step(text);
      try {
        return await work;
      } finally {
        p.end();
      }
    },
    end() {
      stopTimer();
      clear();
      current = undefined;
    },
  };
  return p;
}
