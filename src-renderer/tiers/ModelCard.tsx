import type { Model, SwapSupport, Tier } from '@shared/contract';
import { errorText } from '../docker/format';
import { MODEL_DRAG_TYPE, moveModel, setPinned } from './actions';
import { footprintText, moveTargets, TIER_TEXT, wakeText } from './format';

/** The move menu: every other tier, the closed ones disabled with their reason. */
function MoveMenu({ m, swap, onError }: { m: Model; swap: SwapSupport; onError(message: string): void }) {
  const targets = moveTargets(m, swap);
  const move = (to: Tier) => void moveModel(m.name, to).catch((e: unknown) => onError(`Cannot move ${m.name} to ${to}: ${errorText(e)}`));
  return (
    <select value="" onChange={(e) => e.target.value && move(e.target.value as Tier)} aria-label={`Move ${m.name} to`} data-testid="model-move">
      <option value="">Move to…</option>
      {targets.map((t) => (
        <option key={t.tier} value={t.tier} disabled={!!t.blocked} title={t.blocked}>
          {TIER_TEXT[t.tier].title}
          {t.blocked ? (t.tier === 'swap' && !swap.supported ? ' (unsupported here)' : ' (a move is under way)') : ''}
        </option>
      ))}
    </select>
  );
}

/** One model in its column: footprint (measured or declared), predicted wake, pin, the move menu; draggable to another column. */
export function ModelCard({ m, swap, onError }: { m: Model; swap: SwapSupport; onError(message: string): void }) {
  const pin = () => void setPinned(m.name, !m.pinned).catch((e: unknown) => onError(`Cannot ${m.pinned ? 'unpin' : 'pin'} ${m.name}: ${errorText(e)}`));
  return (
    <li
      className={`model-card${m.movingJobId ? ' moving' : ''}`}
      data-testid={`model-card-${m.name}`}
      data-tier={m.tier}
      draggable={!m.movingJobId}
      onDragStart={(e) => {
        e.dataTransfer.setData(MODEL_DRAG_TYPE, m.name);
        e.dataTransfer.effectAllowed = 'move';
      }}
    >
      <div className="toolbar">
        <strong>{m.name}</strong>
        {m.pinned && <span className="badge" title="Never moved by eviction, the optimiser or idle demotion">pinned</span>}
        {m.movingJobId && <span className="badge status-warning">moving…</span>}
        {m.inFlight > 0 && <span className="badge">{m.inFlight} serving</span>}
      </div>
      <div className="mono muted">{m.image}</div>
      <div data-testid="model-footprint">{footprintText(m)}</div>
      <div className="muted" data-testid="model-wake">
        {wakeText(m)}
      </div>
      <div className="muted">{m.capabilities.join(', ')}</div>
      <div className="actions">
        <MoveMenu m={m} swap={swap} onError={onError} />
        <button type="button" onClick={pin} data-testid="model-pin" aria-pressed={m.pinned}>
          {m.pinned ? 'Unpin' : 'Pin'}
        </button>
      </div>
    </li>
  );
}
