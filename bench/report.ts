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
