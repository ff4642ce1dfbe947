import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCheckScheduler } from './scheduler';

/** A check whose answers the test releases by hand, in any order. */
function pendingChecks() {
  const asked: { request: string; resolve(v: string): void; reject(e: unknown): void }[] = [];
  const check = (request: string) => new Promise<string>((resolve, reject) => asked.push({ request, resolve, reject }));
  return { asked, check };
}
/** Lets resolved promises deliver. */
const flush = () => Promise.resolve().then(() => undefined);

describe('live preview scheduler', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const make = () => {
    const p = pendingChecks();
    const results: string[] = [];
    const errors: string[] = [];
    const s = createCheckScheduler<string, string>({
      check: p.check,
      onResult: (r, req) => results.push(`${req}=${r}`),
      onError: (e, req) => errors.push(`${req}:${(e as Error).message}`),
      key: (r) => r,
      debounceMs: 300,
      throttleMs: 2000,
    });
    return { ...p, results, errors, s };
  };

  it('asks once edits pause, with the last request only', () => {
    const { asked, s } = make();
    s.set('1');
    vi.advanceTimersByTime(200);
    s.set('16');
    vi.advanceTimersByTime(200);
    s.set('16g');
    expect(asked).toHaveLength(0);
    vi.advanceTimersByTime(300);
    expect(asked.map((a) => a.request)).toEqual(['16g']);
  });

  it('does not ask again for an unchanged request', () => {
    const { asked, s } = make();
    s.set('a');
    vi.advanceTimersByTime(300);
    s.set('a');
    vi.advanceTimersByTime(300);
    expect(asked).toHaveLength(1);
  });

  it('shows only the newest answer: a slow answer to an older request is dropped', async () => {
    const { asked, results, s } = make();
    s.set('old');
    vi.advanceTimersByTime(300);
    s.set('new');
    vi.advanceTimersByTime(300);
    asked[1]!.resolve('green');
    await flush();
    asked[0]!.resolve('red'); // arrives last, answers a request no longer asked
    await flush();
    expect(results).toEqual(['new=green']);
  });

  it('drops an error of an older request too, and reports the newest one’s', async () => {
    const { asked, errors, s } = make();
    s.set('a');
    vi.advanceTimersByTime(300);
    s.set('b');
    vi.advanceTimersByTime(300);
    asked[0]!.reject(new Error('old failure'));
    asked[1]!.reject(new Error('new failure'));
    await flush();
    await flush();
    expect(errors).toEqual(['b:new failure']);
  });

  it('checks again as the load changes, at most once per throttle window', () => {
    const { asked, s } = make();
    s.loadChanged(); // nothing to preview yet
    vi.advanceTimersByTime(5000);
    expect(asked).toHaveLength(0);
    s.set('x');
    vi.advanceTimersByTime(300);
    expect(asked).toHaveLength(1);
    for (let i = 0; i < 10; i++) {
      s.loadChanged(); // a snapshot every second
      vi.advanceTimersByTime(1000);
    }
    // 10 s of snapshots: one re-check per 2 s window.
    expect(asked.length - 1).toBe(5);
    expect(asked.every((a) => a.request === 'x')).toBe(true);
  });

  it('clearing the request drops the answer still coming, and nothing is asked after dispose', async () => {
    const { asked, results, s } = make();
    s.set('a');
    vi.advanceTimersByTime(300);
    s.set(undefined);
    asked[0]!.resolve('late');
    await flush();
    expect(results).toEqual([]);
    s.set('b');
    s.loadChanged();
    s.dispose();
    vi.advanceTimersByTime(10_000);
    expect(asked).toHaveLength(1);
  });
});
