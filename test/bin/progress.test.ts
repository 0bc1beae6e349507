import type { Io } from '../../bin/cli';
import { progressFor } from '../../bin/progress';

/** An io whose stderr is a terminal (status) or not; `screen` is what the terminal would show. */
function term(tty: boolean) {
  const err: string[] = [];
  const raw: string[] = [];
  const io: Io = { out: () => {}, err: (t) => err.push(t), ...(tty ? { status: { write: (t: string) => raw.push(t), columns: 40 } } : {}) };
  /** The visible lines after the carriage returns and erase-line sequences took effect. */
  const screen = () => {
    const lines = [''];
    for (const part of raw.join('').split(/(\r\x1b\[2K|\n)/)) {
      if (part === '\r\x1b[2K') lines[lines.length - 1] = '';
      else if (part === '\n') lines.push('');
      else lines[lines.length - 1] += part;
    }
    return lines;
  };
  return { io, err, raw, screen };
}

describe('progressFor', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => { clock = 0; });

  test('on a terminal: one status line rewritten per step, with the seconds spent, cleared at the end', () => {
    const t = term(true);
    const p = progressFor(t.io, { prefix: 'multinic x', tickMs: 0, now, env: {} });
    p.step('first');
    expect(t.screen()).toEqual(['multinic x: first']);
    clock = 3_000;
    p.step('second');
    clock = 5_400;
    p.step('second'); // a redraw shows the time of the step, not of the run
    expect(t.screen()).toEqual(['multinic x: second (2 s)']);
    p.note('kept');
    expect(t.screen()).toEqual(['multinic x: kept', 'multinic x: second (2 s)']);
    p.end();
    expect(t.screen()).toEqual(['multinic x: kept', '']);
    expect(t.err).toEqual([]);
  });

  test('a line longer than the terminal is cut so it rewrites in place', () => {
    const t = term(true);
    progressFor(t.io, { prefix: 'p', tickMs: 0, now, env: {} }).step('x'.repeat(100));
    expect(t.screen()[0]).toHaveLength(39);
    expect(t.screen()[0].endsWith('…')).toBe(true);
  });

  test('the timer redraws the elapsed time and stops at end()', async () => {
    jest.useFakeTimers();
    try {
      const t = term(true);
      const p = progressFor(t.io, { prefix: 'p', tickMs: 1000, now, env: {} });
      p.step('waiting');
      clock = 2_000;
      jest.advanceTimersByTime(1000);
      expect(t.screen()).toEqual(['p: waiting (2 s)']);
      p.end();
      const writes = t.raw.length;
      jest.advanceTimersByTime(5000);
      expect(t.raw).toHaveLength(writes);
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  test('track() clears the line when the work fails too, and passes the error on', async () => {
    const t = term(true);
    const p = progressFor(t.io, { prefix: 'p', tickMs: 0, now, env: {} });
    await expect(p.track('calling', Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(t.screen()).toEqual(['']);
    await expect(p.track('calling', Promise.resolve(7))).resolves.toBe(7);
  });

  test.each([
    ['--json on a terminal', true, { json: true }, {}],
    ['stderr not a terminal', false, {}, {}],
    ['MULTINIC_PROGRESS=0 on a terminal', true, {}, { MULTINIC_PROGRESS: '0' }],
  ])('%s: prints nothing', async (_what, tty, opts, env) => {
    const t = term(tty);
    const p = progressFor(t.io, { prefix: 'p', now, env, ...opts });
    p.step('a');
    p.note('b');
    await p.track('c', Promise.resolve());
    p.end();
    expect(t.raw).toEqual([]);
    expect(t.err).toEqual([]);
  });

  test('MULTINIC_PROGRESS=plain: one plain stderr line per step (for CI logs), none with --json', () => {
    const t = term(false);
    const p = progressFor(t.io, { prefix: 'p', now, env: { MULTINIC_PROGRESS: 'plain' } });
    p.step('a');
    p.note('b');
    p.end();
    expect(t.err).toEqual(['p: a', 'p: b']);
    const j = term(false);
    progressFor(j.io, { prefix: 'p', json: true, env: { MULTINIC_PROGRESS: 'plain' } }).step('a');
    expect(j.err).toEqual([]);
  });
});
