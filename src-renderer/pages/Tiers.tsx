import { useEffect, useState } from 'react';
import { formatBytes } from '@shared/units';
import { tierColumns, useTiersStore } from '../store/tiers';
import { connectTiers } from '../store/tiers-connect';
import { JobList } from '../tiers/JobList';
import { LimitsEditor } from '../tiers/LimitsEditor';
import { ScalingEvents } from '../tiers/ScalingEvents';
import { SelectionTester } from '../tiers/SelectionTester';
import { TierColumnView } from '../tiers/TierColumn';
import '../tiers/tiers.css';

/** #/tiers: the model tiers (hot / warm / swap / cold) with their budgets, moves, selection, limits and scaling events. */
export function Tiers() {
  useEffect(() => connectTiers(), []);
  const { status, jobs, scaling, error } = useTiersStore();
  const [opError, setOpError] = useState<string>();
  return (
    <div className="tiers" data-testid="tiers-page">
      {opError && (
        <div className="banner error inline" role="alert" data-testid="tiers-op-error">
          {opError} <button onClick={() => setOpError(undefined)}>Dismiss</button>
        </div>
      )}
      {error && (
        <div className="banner error inline" role="alert">
          {error}
        </div>
      )}
      {!status && !error && <p className="muted">Loading the model tiers…</p>}
      {status && (
        <>
          <p className="muted" data-testid="tiers-ram">
            RAM budget: {formatBytes(status.ramUsedBytes)} in use
            {status.ramBookedBytes > 0 && ` + ${formatBytes(status.ramBookedBytes)} booked by moves under way`} of {formatBytes(status.limits.ramBudgetBytes)}
            {status.limits.safetyMarginBytes > 0 && `, ${formatBytes(status.limits.safetyMarginBytes)} kept free`}.
            {status.models.length === 0 && (
              <>
                {' '}
                No model in the library yet: add one with <code>mlenv models add</code>.
              </>
            )}
          </p>
          <div className="tier-columns">
            {tierColumns(status).map((col) => (
              <TierColumnView key={col.tier} col={col} status={status} onError={setOpError} />
            ))}
          </div>
          <SelectionTester models={status.models} />
          <JobList jobs={jobs} />
          <LimitsEditor limits={status.limits} />
          <ScalingEvents events={scaling} />
        </>
      )}
    </div>
  );
}
