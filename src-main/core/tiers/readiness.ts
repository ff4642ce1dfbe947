// Is a model server ready to answer: its readiness probe (an HTTP GET answered below 500, or a TCP
// connect) on the port its container publishes on 127.0.0.1, the same probe the health service runs.
import type { ProbeResult, ReadinessProbe } from '@shared/contract';
import { probeHttp, probeTcp } from '../health/probe';

export const LOOPBACK = '127.0.0.1';

/** One probe of `probe` on 127.0.0.1:`hostPort`, giving up after `timeoutMs`. */
export function probeOnce(probe: ReadinessProbe, hostPort: number, timeoutMs: number): Promise<ProbeResult> {
  return probe.kind === 'http' ? probeHttp(LOOPBACK, hostPort, probe.path, timeoutMs) : probeTcp(LOOPBACK, hostPort, timeoutMs);
}

/**
 * Probes until one answers or `deadline` (ms since epoch, on `clock`) passes: at first every 25 ms,
 * slowing to every 250 ms (a cold start takes seconds; a thaw milliseconds). `stillAlive` is asked
 * about once a second and stops the wait with its sentence (a container that exited will never
 * answer). Returns the answering probe; throws Error with the last probe's error otherwise.
 */
export async function waitReady(opts: {
  probe: ReadinessProbe;
  hostPort: number;
  deadline: number;
  clock?: () => number;
  stillAlive?: () => Promise<string | null>;
}): Promise<ProbeResult> {
  const clock = opts.clock ?? Date.now;
  let delay = 25;
  let last: ProbeResult | undefined;
  let nextAliveCheck = clock() + 1000;
  for (;;) {
    const left = opts.deadline - clock();
    last = await probeOnce(opts.probe, opts.hostPort, Math.max(100, Math.min(2000, left)));
    if (last.ok) return last;
    if (clock() >= opts.deadline) break;
    if (opts.stillAlive && clock() >= nextAliveCheck) {
      const dead = await opts.stillAlive();
      if (dead) throw new Error(dead);
      nextAliveCheck = clock() + 1000;
    }
    await new Promise((r) => setTimeout(r, Math.min(delay, Math.max(0, opts.deadline - clock()))));
    delay = Math.min(250, delay * 2);
  }
  throw new Error(`its readiness probe (${last.target}) did not answer in time: ${last.error ?? 'no answer'}`);
}
