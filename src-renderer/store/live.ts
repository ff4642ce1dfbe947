import { create } from 'zustand';
import type { EngineStatus, MetricsSnapshot, OverallStatus, Settings } from '@shared/contract';
import { api } from '../api';
import { useLink } from './link';

interface LiveState {
  engine?: EngineStatus;
  status?: OverallStatus;
  settings?: Settings;
  /** Oldest first, bounded by the live window. */
  snapshots: MetricsSnapshot[];
  error?: string;
}

export const useLive = create<LiveState>(() => ({ snapshots: [] }));

const MAX_POINTS = 3600;

/** Loads the current state, then follows events; reloads whenever the link comes back. */
export function connectLive(): void {
  const load = async () => {
    try {
      const [engine, status, settings, snapshots] = await Promise.all([
        api.call('engine.get', {}),
        api.call('status.get', {}),
        api.call('settings.get', {}),
        api.call('metrics.recent', {}),
      ]);
      useLive.setState({ engine, status, settings, snapshots, error: undefined });
    } catch (e) {
      useLive.setState({ error: (e as Error).message });
    }
  };
  api.on('engine.status', (engine) => useLive.setState({ engine }));
  api.on('status.changed', (status) => useLive.setState({ status }));
  api.on('settings.changed', (settings) => useLive.setState({ settings }));
  api.on('metrics.snapshot', (s) =>
    useLive.setState((st) => {
      const windowMs = (st.settings?.liveWindowSeconds ?? 600) * 1000;
      const kept = st.snapshots.filter((x) => x.ts >= s.ts - windowMs).slice(-(MAX_POINTS - 1));
      return { snapshots: [...kept, s] };
    }),
  );
  useLink.subscribe((link, prev) => {
    if (link.state === 'open' && prev.state !== 'open') void load();
  });
  if (useLink.getState().state === 'open') void load();
}
