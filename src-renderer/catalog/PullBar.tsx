import type { PullProgress } from '@shared/contract';
import { formatBytes } from '@shared/units';
import { percentOf, ProgressBar } from '../components/ProgressBar';

/** A launch's pull: the reference, bytes so far of the total, and the bar (full once done). */
export function PullBar({ pull }: { pull: PullProgress }) {
  const value = pull.done && !pull.error ? 100 : percentOf(pull.current, pull.total);
  return (
    <div className="launch-pull" data-testid="launch-pull" data-done={pull.done}>
      <small className="muted">
        {pull.error ? `pull failed: ${pull.error}` : pull.done ? `pulled ${pull.ref}; starting…` : `pulling ${pull.ref}: ${formatBytes(pull.current)} of ${formatBytes(pull.total)}`}
      </small>
      <ProgressBar value={value} label={`pulling ${pull.ref}`} testId="launch-pull-bar" />
      {pull.warning && <small className="muted">{pull.warning}</small>}
    </div>
  );
}
