import { useState } from 'react';
import type { SwapSupport, TierStatus } from '@shared/contract';
import { errorText } from '../docker/format';
import type { TierColumn as Column } from '../store/tiers';
import { MODEL_DRAG_TYPE, moveModel } from './actions';
import { CapacityBar } from './CapacityBar';
import { TIER_TEXT } from './format';
import { ModelCard } from './ModelCard';

/** What the column's bar measures: hot and warm share the RAM budget, swap has its own, cold is disk. */
function budgetLabel(col: Column): string {
  if (col.tier === 'hot' || col.tier === 'warm') return 'of the RAM budget (hot and warm share it)';
  if (col.tier === 'swap') return 'of the swap budget';
  return 'on disk (no budget)';
}

/** One tier: its capacity, its models, and a drop target for a dragged card (the move menu on each card does the same). */
export function TierColumnView({ col, status, onError }: { col: Column; status: TierStatus; onError(message: string): void }) {
  const [over, setOver] = useState(false);
  const swap: SwapSupport = status.swap;
  const closed = col.tier === 'swap' && !swap.supported;
  const accepts = (types: readonly string[]) => !closed && types.includes(MODEL_DRAG_TYPE);
  return (
    <section
      className={`card tier-column${over ? ' drop-over' : ''}`}
      data-testid={`tier-${col.tier}`}
      aria-label={`${TIER_TEXT[col.tier].title} tier`}
      onDragOver={(e) => {
        if (!accepts(e.dataTransfer.types)) return;
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        setOver(false);
        const name = e.dataTransfer.getData(MODEL_DRAG_TYPE);
        const m = status.models.find((x) => x.name === name);
        if (!m || m.tier === col.tier) return;
        e.preventDefault();
        void moveModel(name, col.tier).catch((err: unknown) => onError(`Cannot move ${name} to ${col.tier}: ${errorText(err)}`));
      }}
    >
      <h3>{TIER_TEXT[col.tier].title}</h3>
      <p className="muted tier-what">{TIER_TEXT[col.tier].what}</p>
      {closed ? (
        <p className="banner warning inline" data-testid="swap-unsupported">
          UNSUPPORTED on this host: {swap.reason}
        </p>
      ) : (
        <CapacityBar used={col.usage.usedBytes} budget={col.usage.budgetBytes} label={budgetLabel(col)} />
      )}
      {col.tier === 'swap' && swap.supported && <p className="muted">via {swap.method}</p>}
      {col.models.length === 0 ? (
        <p className="empty">No model here.</p>
      ) : (
        <ul className="model-cards">
          {col.models.map((m) => (
            <ModelCard key={m.name} m={m} swap={swap} onError={onError} />
          ))}
        </ul>
      )}
    </section>
  );
}
