// Jetson boards through `tegrastats --interval <ms>`; the line grammar is in tegrastats-line.ts.
import type { JetsonSample } from '@shared/contract';
import { createStreamProcess, type ToolState } from '../stream-process';
import { parseTegrastats } from './tegrastats-line';


/** Runs tegrastats and keeps its latest sample; `latest()` is null once the tool stops or goes quiet. */
export function createTegrastatsSampler(opts: {
  command?: string;
  intervalMs: number;
  env?: NodeJS.ProcessEnv;
  minBackoffMs?: number;
  /** Asked before every spawn (toolPathProblem for a configured path): a reason refuses it. */
  verify?: () => string | null;
}) {
  let latest: { sample: JetsonSample; at: number } | undefined;
  let state: ToolState = 'absent';
  let error: string | undefined;
  const proc = createStreamProcess({
    command: opts.command ?? 'tegrastats',
    args: ['--interval', String(opts.intervalMs)],
    env: opts.env,
    minBackoffMs: opts.minBackoffMs,
    verify: opts.verify,
    onLine(line) {
      const sample = parseTegrastats(line);
      if (sample) latest = { sample, at: Date.now() };
    },
    onState(s, e) {
      state = s;
      error = e;
      if (s !== 'running') latest = undefined;
    },
  });
  return {
    start: () => proc.start(),
    stop: () => proc.stop(),
    latest(): JetsonSample | null {
      return latest && latest.at >= Date.now() - Math.max(5000, opts.intervalMs * 5) ? latest.sample : null;
    },
    state: () => ({ state, error }),
  };
}
export type TegrastatsSampler = ReturnType<typeof createTegrastatsSampler>;
