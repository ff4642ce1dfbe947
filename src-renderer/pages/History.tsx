import { useEffect, useMemo, useState } from 'react';
import type { HistorySeries, SeriesInfo } from '@shared/contract';
import { api } from '../api';
import { HistoryChart, type Threshold } from '../components/HistoryChart';
import { download, RANGES, toCsv } from '../metrics/format';
import { useHistory } from '../metrics/useHistory';
import { useLive } from '../store/live';

// ~300 points a chart: plenty for a few hundred pixels, and a dozen charts stay cheap to repaint.
const BUCKETS = 300;
const DEFAULT_HOST = ['host::cpu_percent', 'host::memory_percent'];
const GPU_PANELS: { metric: string; color: string }[] = [
  { metric: 'utilization_gpu', color: 'var(--accent)' },
  { metric: 'memory_used', color: 'var(--accent-2)' },
  { metric: 'temperature', color: 'var(--accent-4)' },
  { metric: 'power_draw', color: 'var(--accent-3)' },
];
const toLocalInput = (ts: number) => new Date(ts - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

/** The range shown: a preset ending now (refreshed) or a fixed custom one. */
function useRange() {
  const [preset, setPreset] = useState('15m');
  const [custom, setCustom] = useState(() => ({ from: Date.now() - 3_600_000, to: Date.now() }));
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (preset === 'custom') return;
    // Short ranges follow the live samples closely; long ones gain nothing from frequent reloads.
    const ms = RANGES.find((r) => r.id === preset)!.ms;
    const t = setInterval(() => setTick((n) => n + 1), ms <= 3_600_000 ? 5000 : 30_000);
    return () => clearInterval(t);
  }, [preset]);
  const range = useMemo(() => {
    if (preset === 'custom') return custom;
    const ms = RANGES.find((r) => r.id === preset)!.ms;
    const to = Math.ceil(Date.now() / 1000) * 1000;
    return { from: to - ms, to };
    // `tick` is read by no line above: it is a dependency so that a range ending now moves on with time.
  }, [preset, custom, tick]);
  return { preset, setPreset, custom, setCustom, range };
}

export function History() {
  const { preset, setPreset, custom, setCustom, range } = useRange();
  const thresholds = useLive((s) => s.settings?.thresholds);
  const [catalogue, setCatalogue] = useState<SeriesInfo[] | undefined>();
  const [catalogueError, setCatalogueError] = useState<string>();
  const [picked, setPicked] = useState<string[]>(DEFAULT_HOST);

  useEffect(() => {
    api
      .call('metrics.series', {})
      .then(setCatalogue)
      .catch((e: Error) => setCatalogueError(e.message));
  }, [range.to]);

  const known = new Set(catalogue?.map((s) => s.name));
  const hostChoices = (catalogue ?? []).filter((s) => s.scope === 'host' || s.scope === 'jetson' || s.scope === 'container');
  const gpus = useMemo(() => {
    const m = new Map<string, string>();
    for (const s of catalogue ?? []) if (s.scope === 'gpu' && s.metric === 'utilization_gpu') m.set(s.subject, s.label.replace(/ utilisation$/, ''));
    return [...m.entries()];
  }, [catalogue]);
  const gpuSeries = gpus.flatMap(([uuid]) => [...GPU_PANELS.map((p) => `gpu:${uuid}:${p.metric}`), `gpu:${uuid}:throttle_mask`]).filter((n) => known.has(n));
  const shown = [...picked.filter((n) => known.has(n)), ...gpuSeries].slice(0, 32);
  const state = useHistory(shown, range.from, range.to, BUCKETS, range.to);

  const thresholdsFor = (name: string): Threshold[] => {
    if (!thresholds) return [];
    if (name === 'host::cpu_percent') return [{ value: thresholds.cpuWarnPercent, label: 'warning', level: 'warning' }, { value: thresholds.cpuCriticalPercent, label: 'critical', level: 'critical' }];
    if (name === 'host::memory_percent') return [{ value: thresholds.memoryWarnPercent, label: 'warning', level: 'warning' }, { value: thresholds.memoryCriticalPercent, label: 'critical', level: 'critical' }];
    if (name.endsWith(':temperature') && name.startsWith('gpu:')) return [{ value: thresholds.gpuTempWarnC, label: 'warning', level: 'warning' }, { value: thresholds.gpuTempCriticalC, label: 'critical', level: 'critical' }];
    return [];
  };
  const result = state.status === 'ready' ? state.result : undefined;
  const byName = new Map<string, HistorySeries>(result?.series.map((s) => [s.name, s]));
  const exportName = `mlenv-history-${new Date(range.from).toISOString().slice(0, 16)}`;
  const hasData = !!result?.series.some((s) => s.points.length);

  return (
    <div className="history" data-testid="history" data-source={result?.source} data-range={preset}>
      <div className="history-toolbar card">
        <div className="range-picker" role="group" aria-label="Range">
          {[...RANGES, { id: 'custom', label: 'Custom', ms: 0 }].map((r) => (
            <button key={r.id} type="button" className={preset === r.id ? 'active' : undefined} aria-pressed={preset === r.id} data-testid={`range-${r.id}`} onClick={() => setPreset(r.id)}>
              {r.label}
            </button>
          ))}
        </div>
        {preset === 'custom' && (
          <div className="custom-range">
            <label>
              From <input type="datetime-local" value={toLocalInput(custom.from)} onChange={(e) => setCustom({ ...custom, from: new Date(e.target.value).getTime() || custom.from })} />
            </label>
            <label>
              To <input type="datetime-local" value={toLocalInput(custom.to)} onChange={(e) => setCustom({ ...custom, to: new Date(e.target.value).getTime() || custom.to })} />
            </label>
          </div>
        )}
        <span className="spacer" />
        <button type="button" disabled={!result} data-testid="export-csv" onClick={() => result && download(`${exportName}.csv`, toCsv(result), 'text/csv')}>
          Export CSV
        </button>
        <button type="button" disabled={!result} data-testid="export-json" onClick={() => result && download(`${exportName}.json`, JSON.stringify(result, null, 2), 'application/json')}>
          Export JSON
        </button>
      </div>

      {catalogueError && <div className="banner error" role="alert">Could not list the recorded series: {catalogueError}</div>}
      {catalogue && hostChoices.length > 0 && (
        <details className="series-picker card">
          <summary>Series ({picked.filter((n) => known.has(n)).length} chosen)</summary>
          <div className="series-list">
            {hostChoices.map((s) => (
              <label key={s.name}>
                <input type="checkbox" checked={picked.includes(s.name)} onChange={(e) => setPicked(e.target.checked ? [...picked, s.name] : picked.filter((n) => n !== s.name))} />
                {s.label}
              </label>
            ))}
          </div>
        </details>
      )}

      {state.status === 'error' && <div className="banner error" role="alert" data-testid="history-error">{state.message}</div>}
      {(!catalogue || (shown.length > 0 && state.status === 'loading')) && !catalogueError && <p className="muted" data-testid="history-loading">Loading history…</p>}
      {catalogue && shown.length === 0 && <p className="empty" data-testid="history-empty">Nothing recorded yet: figures appear here a few seconds after MLEnv starts sampling.</p>}
      {result && !hasData && <p className="empty" data-testid="history-empty">No samples in this range.</p>}

      {result && hasData && (
        <>
          <section className="chart-grid">
            {picked.filter((n) => byName.has(n)).map((n) => (
              <HistoryChart key={n} testId={`chart-${n}`} series={byName.get(n)!} from={result.from} to={result.to} bucketMs={result.bucketMs} thresholds={thresholdsFor(n)} yMax={byName.get(n)!.unit === '%' ? 100 : undefined} />
            ))}
          </section>
          {gpus.map(([uuid, label]) => (
            <section key={uuid} className="gpu-panel card" data-testid="gpu-history-panel">
              <h3>{label}</h3>
              <div className="chart-grid">
                {GPU_PANELS.map((p) => {
                  const s = byName.get(`gpu:${uuid}:${p.metric}`);
                  if (!s) return null;
                  return (
                    <HistoryChart key={p.metric} series={s} title={s.label.replace(`${label} `, '')} from={result.from} to={result.to} bucketMs={result.bucketMs} color={p.color} thresholds={thresholdsFor(s.name)} yMax={s.unit === '%' ? 100 : undefined}
                      throttle={p.metric === 'utilization_gpu' ? byName.get(`gpu:${uuid}:throttle_mask`) : undefined} height={150} />
                  );
                })}
              </div>
            </section>
          ))}
          <p className="muted">
            {result.series.length} series · buckets of {formatBucket(result.bucketMs)} from the {result.source === 'raw' ? 'full-grain samples' : `${result.source} rollup`}
          </p>
        </>
      )}
    </div>
  );
}

const formatBucket = (ms: number) => (ms < 60_000 ? `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s` : ms < 3_600_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 3_600_000).toFixed(1)} h`);
