import { formatBytes } from '@shared/units';

/** A tier's use against its budget: a bar (over budget in red) and the figures; without a budget, the figure alone. */
export function CapacityBar({ used, budget, label }: { used: number; budget: number | null; label: string }) {
  if (budget === null) {
    return (
      <div className="capacity-text muted" data-testid="capacity">
        {formatBytes(used)} {label}
      </div>
    );
  }
  const pct = budget > 0 ? (used / budget) * 100 : used > 0 ? 100 : 0;
  return (
    <div data-testid="capacity">
      <div className="capacity" role="meter" aria-valuemin={0} aria-valuemax={budget} aria-valuenow={used} aria-label={label}>
        <div className={`capacity-fill${pct > 100 ? ' over' : ''}`} style={{ width: `${Math.min(100, pct)}%` }} />
      </div>
      <div className="capacity-text muted">
        {formatBytes(used)} of {formatBytes(budget)} {label}
      </div>
    </div>
  );
}
