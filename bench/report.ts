export interface Figure {
  value: number;
  unit: string;
  /** The same measure for the thing we compare against, taken in the same run. */
  baseline?: number;
  /** value ÷ baseline. */
  ratio?: number;
  /** The goal the issue sets, as text (e.g. "<= 0.5"), and whether this run met it. */
  goal?: string;
  met?: boolean;
  note?: string;
}
export type Figures = Record<string, Figure>;

export interface BenchContext {
  /** A fresh temporary folder for this benchmark's data. */
  tmpDir(): string;
  /** Shortened runs for a smoke check (MLENV_BENCH_QUICK=1). */
  quick: boolean;
}

export const round = (n: number, digits = 3) => Number(n.toFixed(digits));

export function compare(value: number, baseline: number, unit: string, goal?: { text: string; met: (ratio: number, value: number) => boolean }): Figure {
  const ratio = round(value / baseline);
  return { value: round(value), unit, baseline: round(baseline), ratio, ...(goal ? { goal: goal.text, met: goal.met(ratio, value) } : {}) };
}

/** Percentiles of a sample of numbers (p in 0–100). */
export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}

export const median = (xs: number[]) => percentile(xs, 50);

/** How long `fn` took to settle, in ms (performance.now). */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/**
 * Interleaved rounds of two measurements: `ours` then `baseline`, each returning the ms it measured
 * (what it does before it starts its clock is not counted), then `after` (cleanup). Runs `rounds` + 1
 * rounds; the first warms both paths up and is dropped. Returns the ms of each kept round.
 */
export async function interleaved(rounds: number, run: { ours: () => Promise<number>; baseline: () => Promise<number>; after: () => Promise<void> }): Promise<{ ours: number[]; baseline: number[] }> {
  const ours: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < rounds + 1; i++) {
    const a = await run.ours();
    const b = await run.baseline();
    if (i > 0) {
      ours.push(a);
      baseline.push(b);
    }
    await run.after();
  }
  return { ours, baseline };
}
