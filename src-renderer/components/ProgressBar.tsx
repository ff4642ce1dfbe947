/** A thin bar at `value` percent (0–100), its figure in data-value for tests and its label as a tooltip. */
export function ProgressBar({ value, label, testId }: { value: number; label: string; testId?: string }) {
  return (
    <div className="progress" title={label} data-testid={testId} data-value={value.toFixed(0)} role="progressbar" aria-label={label} aria-valuenow={Math.round(value)} aria-valuemin={0} aria-valuemax={100}>
      <div className="progress-fill" style={{ width: `${value}%` }} />
    </div>
  );
}

/** Percent of a transfer done; 0 while the total is unknown. */
export const percentOf = (cur: number | null, tot: number | null) => (cur !== null && tot ? Math.min(100, (100 * cur) / tot) : 0);
