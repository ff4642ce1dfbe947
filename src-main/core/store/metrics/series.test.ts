// Jetson figures with the unknowns real boards print: a null is a gap, never a stored 0.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MetricsSnapshot } from '@shared/contract';
import { parseTegrastats } from '../../sampler/jetson/tegrastats-line';
import { figuresOf } from './series';

const line = (board: string) =>
  readFileSync(path.resolve(__dirname, '../../sampler/fixtures/tegrastats', `${board}.txt`), 'utf8')
    .split('\n')
    .find((l) => l && !l.startsWith('#'))!;
const snapshot = (board: string): MetricsSnapshot => ({
  ts: 1,
  host: { cpu: { percent: 5, perCore: [10, null, 0, null], cores: 4 }, memory: { total: 100, used: 10, available: 90, percent: 10 }, swap: { total: 0, used: 0 }, load: [0, 0, 0] },
  jetson: parseTegrastats(line(board))!,
});
const byName = (s: MetricsSnapshot) => new Map(figuresOf(s).map((f) => [f.name, f.value]));

describe('Jetson series', () => {
  it('AGX Thor: no GPU % stored (a gap), board power from VIN stored', () => {
    const f = byName(snapshot('agx-thor-jp72'));
    expect(f.has('jetson::gpu_percent')).toBe(false);
    expect(f.get('jetson::power_total')).toBe(87426);
    expect(f.get('jetson::ram_used')).toBe(36529);
    expect(f.get('jetson::temperature_max')).toBe(63.281);
    expect(f.get('host::cpu_percent')).toBe(5); // offline host CPUs do not disturb the host series
  });

  it('TX1: no rail printed, so no board power stored', () => {
    const f = byName(snapshot('tx1-jp4'));
    expect(f.has('jetson::power_total')).toBe(false);
    expect(f.get('jetson::gpu_percent')).toBe(41);
  });
});
