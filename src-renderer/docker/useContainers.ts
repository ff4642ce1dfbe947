import { useCallback, useEffect, useState } from 'react';
import type { ContainerHealth, ContainerStats, ContainerSummary } from '@shared/contract';
import { api } from '../api';
import { errorText } from './format';

/** The container list with health and the latest stats, refreshed on every change the core announces. */
export function useContainers() {
  const [list, setList] = useState<ContainerSummary[]>();
  const [health, setHealth] = useState<Map<string, ContainerHealth>>(new Map());
  const [stats, setStats] = useState<Map<string, ContainerStats>>(new Map());
  const [error, setError] = useState<string>();
  const reload = useCallback(async () => {
    try {
      const [l, h] = await Promise.all([api.call('containers.list', {}), api.call('health.list', {})]);
      setList(l);
      setHealth(new Map(h.map((x) => [x.id, x])));
      setError(undefined);
    } catch (e) {
      setError(errorText(e));
    }
  }, []);
  useEffect(() => {
    void reload();
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Bursts of Docker events (a restart is kill, die, stop, start…) become one reload.
    const soon = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void reload(), 150);
    };
    const offs = [
      api.on('containers.changed', soon),
      api.on('engine.status', soon),
      api.on('health.changed', (h) => setHealth(new Map(h.map((x) => [x.id, x])))),
      api.on('metrics.snapshot', (s) => s.containers && setStats(new Map(s.containers.map((c) => [c.id, c])))),
    ];
    const poll = setInterval(() => {
      api.call('containers.stats', {}).then((s) => setStats(new Map(s.map((c) => [c.id, c]))), () => undefined);
    }, 2000);
    return () => {
      offs.forEach((o) => o());
      clearInterval(poll);
      clearTimeout(timer);
    };
  }, [reload]);
  return { list, health, stats, error, reload };
}
