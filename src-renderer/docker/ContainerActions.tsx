import { useState } from 'react';
import type { ContainerSummary } from '@shared/contract';
import { api } from '../api';
import { errorText } from './format';

type Op = 'start' | 'stop' | 'restart' | 'pause' | 'unpause';

/** Lifecycle buttons for one managed container; removing a running one asks first. */
export function ContainerActions({ c, onError, onRemoved }: { c: ContainerSummary; onError: (m: string) => void; onRemoved?: () => void }) {
  const [busy, setBusy] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  if (!c.managed) return <span className="muted" title="Not created by MLEnv: read-only">read-only</span>;
  const run = async (label: string, fn: () => Promise<unknown>) => {
    setBusy(label);
    try {
      await fn();
    } catch (e) {
      onError(`${label} ${c.name}: ${errorText(e)}`);
    } finally {
      setBusy(undefined);
    }
  };
  const op = (o: Op) => run(o, () => api.call(`containers.${o}`, { id: c.id, engine: c.engine }));
  const live = c.state === 'running' || c.state === 'paused' || c.state === 'restarting';
  const remove = (force: boolean) =>
    run('remove', async () => {
      await api.call('containers.remove', { id: c.id, engine: c.engine, force });
      onRemoved?.();
    });
  if (confirming) {
    return (
      <span className="actions confirm" data-testid="remove-confirm">
        {c.name} is {c.state}. Remove it anyway?
        <button className="danger" data-testid="remove-confirm-yes" onClick={() => void remove(true).finally(() => setConfirming(false))}>
          Stop and remove
        </button>
        <button onClick={() => setConfirming(false)}>Cancel</button>
      </span>
    );
  }
  return (
    <span className="actions" aria-busy={busy ? true : undefined}>
      {c.state === 'running' && (
        <>
          <button data-testid="action-stop" disabled={!!busy} onClick={() => void op('stop')}>
            {busy === 'stop' ? 'Stopping…' : 'Stop'}
          </button>
          <button disabled={!!busy} onClick={() => void op('restart')}>Restart</button>
          <button disabled={!!busy} onClick={() => void op('pause')}>Pause</button>
        </>
      )}
      {c.state === 'paused' && (
        <button disabled={!!busy} onClick={() => void op('unpause')}>Unpause</button>
      )}
      {!live && (
        <button data-testid="action-start" disabled={!!busy} onClick={() => void op('start')}>
          Start
        </button>
      )}
      <button className="danger" data-testid="action-remove" disabled={!!busy} onClick={() => (live ? setConfirming(true) : void remove(false))}>
        Remove
      </button>
    </span>
  );
}
