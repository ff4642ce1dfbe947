import { describe, expect, it } from 'vitest';
import type { ContainerStats, MetricsSnapshot } from '@shared/contract';
import { statsById } from './containers';

const stats = (id: string, cpuPercent: number | null): ContainerStats => ({
  ts: 5000,
  id,
  name: `c-${id}`,
  project: null,
  cpuPercent,
  memoryUsed: 1024,
  memoryLimit: null,
  memoryPercent: null,
  netRxBytesPerSec: null,
  netTxBytesPerSec: null,
  blockReadBytesPerSec: null,
  blockWriteBytesPerSec: null,
  pids: 1,
});

describe('container stats from metrics.snapshot', () => {
  it('reads each container’s figures from the snapshot’s containers array', () => {
    const snap = { ts: 5000, containers: [stats('a', 12.5), stats('b', null)] } as unknown as MetricsSnapshot;
    const m = statsById(snap);
    expect([...m.keys()]).toEqual(['a', 'b']);
    expect(m.get('a')!.cpuPercent).toBe(12.5);
    expect(m.get('b')!.cpuPercent).toBeNull(); // unknown stays unknown
  });

  it('is empty before the first snapshot and when a snapshot carries no containers (a stopped one drops out)', () => {
    expect(statsById(undefined).size).toBe(0);
    expect(statsById({ ts: 1 } as unknown as MetricsSnapshot).size).toBe(0);
  });
});
