import { useMemo } from 'react';
import type { ContainerStats } from '@shared/contract';
import { statsById } from './containers';
import { useLive } from './live';

/** The live container stats, following the snapshots the live store already receives (no polling). */
export function useContainerStats(): ReadonlyMap<string, ContainerStats> {
  const latest = useLive((s) => s.snapshots.at(-1));
  return useMemo(() => statsById(latest), [latest]);
}
