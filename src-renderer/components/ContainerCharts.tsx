import { useEffect, useState } from 'react';
import type { SeriesInfo } from '@shared/contract';
import { api } from '../api';
import { RANGES } from '../metrics/format';
import { useHistory } from '../metrics/useHistory';
import { HistoryChart } from './HistoryChart';

const METRICS: { metric: string; color: string }[] = [
  { metric: 'cpu_percent', color: 'var(--accent)' },
  { metric: 'memory_used', color: 'var(--accent-2)' },
  { metric: 'gpu_memory_used', color: 'var(--accent-3)' },
  { metric: 'net_rx', color: 'var(--accent-4)' },
  { metric: 'net_tx', color: 'var(--accent-4)' },
  { metric: 'block_write', color: 'var(--muted)' },
];

/** A managed container's recorded figures (CPU, memory, VRAM, network, disk) over a chosen range. */
export function ContainerCharts({ containerId }: { containerId: string }) {
  const [rangeId, setRangeId] = useState('1h');
  const [series, setSeries] = useState<SeriesInfo[] | undefined>();
  const [error, setError] = useState<string>();
  const [to, setTo] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setTo(Date.now()), 15_000);
    return () => clearInterval(t);
  }, []);
  useEffect(() => {
    api
      .call('metrics.series', { prefix: 'container:' })
      .then((all) => setSeries(all.filter((s) => s.subject.startsWith(containerId) || containerId.startsWith(s.subject))))
      .catch((e: Error) => setError(e.message));
  }, [containerId, to]);
  const ms = RANGES.find((r) => r.id === rangeId)!.ms;
  const from = to - ms;
  const names = METRICS.map((m) => series?.find((s) => s.metric === m.metric)?.name).filter((n): n is string => !!n);
  const state = useHistory(names, from, to, 300, to);

  return (
    <section className="container-charts card" data-testid="container-charts">
      <div className="history-toolbar">
        <h3>Resource history</h3>
        <span className="spacer" />
        <div className="range-picker" role="group" aria-label="Range">
          {RANGES.map((r) => (
            <button key={r.id} type="button" className={rangeId === r.id ? 'active' : undefined} aria-pressed={rangeId === r.id} onClick={() => setRangeId(r.id)}>
              {r.label}
            </button>
          ))}
        </div>
      </div>
      {error && <div className="banner error" role="alert">{error}</div>}
      {!error && !series && <p className="muted">Loading history…</p>}
      {series && names.length === 0 && <p className="empty">No figures recorded for this container yet: they appear while it runs.</p>}
      {state.status === 'error' && names.length > 0 && <div className="banner error" role="alert">{state.message}</div>}
      {state.status === 'ready' && names.length > 0 && (
        <div className="chart-grid">
          {state.result.series.map((s) => (
            <HistoryChart key={s.name} series={s} from={state.result.from} to={state.result.to} bucketMs={state.result.bucketMs} color={METRICS.find((m) => s.name.endsWith(`:${m.metric}`))?.color} height={140} />
          ))}
        </div>
      )}
    </section>
  );
}
