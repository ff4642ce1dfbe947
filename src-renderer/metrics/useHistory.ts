import { useEffect, useState } from 'react';
import type { HistoryResult } from '@shared/contract';
import { api } from '../api';

export type HistoryState = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; result: HistoryResult };

/** Loads history for a set of series and range; reloads every `refreshMs` for ranges ending now. */
export function useHistory(series: string[], from: number, to: number, buckets: number, refreshKey = 0): HistoryState {
  const [state, setState] = useState<HistoryState>({ status: 'loading' });
  const key = series.join('|');
  useEffect(() => {
    if (!series.length) return;
    let live = true;
    setState((s) => (s.status === 'ready' ? s : { status: 'loading' }));
    api
      .call('metrics.history', { series, from, to, buckets })
      .then((result) => live && setState({ status: 'ready', result }))
      .catch((e: Error) => live && setState({ status: 'error', message: e.message }));
    return () => {
      live = false;
    };
    // `series` is a new array each render: `key` (its names joined) stands for it in the deps.
  }, [key, from, to, buckets, refreshKey]);
  return state;
}
