import { describe, expect, it } from 'vitest';
import type { Model, TierJob, TierStatus } from '@shared/contract';
import { model } from '../tiers/test-fixtures';
import { applyJob, applyStatus, JOBS_SHOWN, loadedJobs, tierColumns, type TiersState } from './tiers';

const GiB = 1024 ** 3;
const job = (id: string, createdAt: number, state: TierJob['state'] = 'queued'): TierJob => ({
  id,
  model: 'm',
  from: 'cold',
  to: 'hot',
  state,
  trigger: 'user',
  reason: 'asked by the user',
  prediction: null,
  actualMs: null,
  memoryBeforeBytes: null,
  memoryAfterBytes: null,
  verification: null,
  error: null,
  parentId: null,
  createdAt,
  startedAt: null,
  finishedAt: null,
});
const status = (ts: number, models: Model[]): TierStatus => ({
  limits: { ramBudgetBytes: 8 * GiB, swapBudgetBytes: 0, safetyMarginBytes: GiB, idleDemoteSeconds: null, maxRamBudgetBytes: 12 * GiB },
  swap: { supported: false, method: null, reason: 'this host has no swap space' },
  tiers: [
    { tier: 'hot', budgetBytes: 8 * GiB, usedBytes: 2 * GiB, observedBytes: 2 * GiB, models: ['b', 'a'] },
    { tier: 'warm', budgetBytes: 8 * GiB, usedBytes: 0, observedBytes: 0, models: [] },
    { tier: 'cold', budgetBytes: null, usedBytes: GiB, observedBytes: null, models: ['c'] },
  ],
  ramUsedBytes: 2 * GiB,
  ramBookedBytes: 0,
  models,
  ts,
});
const empty: TiersState = {};

describe('tiers store reducers', () => {
  it('a newer status replaces the one shown; an older one arriving late does not', () => {
    const s = applyStatus(empty, status(20, []));
    expect(applyStatus(s, status(10, [model('x')]))).toBe(s);
    expect(applyStatus(s, status(30, [model('x')])).status?.models.map((m) => m.name)).toEqual(['x']);
  });

  it('a job event updates its row, a new job joins newest first, and says when a job has just ended', () => {
    const s = loadedJobs(empty, [job('a', 1), job('b', 2)]);
    expect(s.jobs!.map((j) => j.id)).toEqual(['b', 'a']);
    const running = applyJob(s, job('a', 1, 'running'));
    expect(running.ended).toBe(false);
    expect(running.state.jobs!.map((j) => [j.id, j.state])).toEqual([
      ['b', 'queued'],
      ['a', 'running'],
    ]);
    const done = applyJob(running.state, job('a', 1, 'done'));
    expect(done.ended).toBe(true);
    // A late 'verifying' after 'done' does not move the job back, and is not a second ending.
    const late = applyJob(done.state, job('a', 1, 'verifying'));
    expect(late.state).toBe(done.state);
    expect(late.ended).toBe(false);
    expect(applyJob(done.state, job('c', 3, 'rolled_back'))).toMatchObject({ ended: true });
    expect(applyJob(empty, job('z', 5)).state.jobs!.map((j) => j.id)).toEqual(['z']);
  });

  it('keeps at most the newest JOBS_SHOWN jobs', () => {
    const s = loadedJobs(empty, Array.from({ length: JOBS_SHOWN + 5 }, (_, i) => job(`j${i}`, i)));
    expect(s.jobs).toHaveLength(JOBS_SHOWN);
    expect(s.jobs![0]!.id).toBe(`j${JOBS_SHOWN + 4}`);
  });

  it('lays the models out in four columns, hot / warm / swap / cold, by name, a tier left out counting as empty', () => {
    const cols = tierColumns(status(1, [model('b', { tier: 'hot' }), model('a', { tier: 'hot' }), model('c')]));
    expect(cols.map((c) => c.tier)).toEqual(['hot', 'warm', 'swap', 'cold']);
    expect(cols[0]!.models.map((m) => m.name)).toEqual(['a', 'b']);
    expect(cols[0]!.usage.budgetBytes).toBe(8 * GiB);
    expect(cols[2]!.usage).toEqual({ tier: 'swap', budgetBytes: null, usedBytes: 0, observedBytes: null, models: [] });
    expect(cols[3]!.models.map((m) => m.name)).toEqual(['c']);
  });
});
