import { create } from 'zustand';
import type { Model, ScalingEvent, Tier, TierJob, TierJobState, TierStatus, TierUsage } from '@shared/contract';
import { TIERS } from '@shared/contract';
import { errorText } from '../docker/format';

/** How many jobs and scaling events the Tiers page keeps (the newest). */
export const JOBS_SHOWN = 100;

/**
 * The model tiers as the Tiers page shows them: placement and budgets (`tiers.status`, then
 * `tiers.changed`), the move jobs (`tiers.jobs`, then each `jobs.updated`) and the scaling events
 * (`tiers.scalingEvents`, read again when a job ends). Kept by store/tiers-connect.ts.
 */
export interface TiersState {
  status?: TierStatus;
  /** Newest first; undefined until loaded. */
  jobs?: TierJob[];
  /** Newest first; undefined until loaded. */
  scaling?: ScalingEvent[];
  error?: string;
}

export const useTiersStore = create<TiersState>(() => ({}));

const ENDED: ReadonlySet<TierJobState> = new Set(['done', 'failed', 'rolled_back']);
export const jobEnded = (j: TierJob): boolean => ENDED.has(j.state);

/** A status read or pushed (`tiers.changed`); one older than what is shown (by its ts) is dropped. */
export function applyStatus(s: TiersState, status: TierStatus): TiersState {
  if (s.status && status.ts < s.status.ts) return s;
  return { ...s, status, error: undefined };
}

const newestFirst = (a: TierJob, b: TierJob) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

export const loadedJobs = (s: TiersState, jobs: TierJob[]): TiersState => ({ ...s, jobs: [...jobs].sort(newestFirst).slice(0, JOBS_SHOWN) });

/**
 * One `jobs.updated` event: the job's row takes its new state (a new job joins, newest first).
 * `ended` says the job has just finished (done, failed or rolled back): its scaling event is written,
 * so that list is worth reading again. An event about a job already ended never moves it back.
 */
export function applyJob(s: TiersState, job: TierJob): { state: TiersState; ended: boolean } {
  const list = s.jobs ?? [];
  const was = list.find((j) => j.id === job.id);
  if (was && jobEnded(was)) return { state: s, ended: false };
  const jobs = [job, ...list.filter((j) => j.id !== job.id)].sort(newestFirst).slice(0, JOBS_SHOWN);
  return { state: { ...s, jobs }, ended: jobEnded(job) };
}

export const loadedScaling = (s: TiersState, scaling: ScalingEvent[]): TiersState => ({ ...s, scaling: scaling.slice(0, JOBS_SHOWN) });

export const failedTiers = (s: TiersState, e: unknown): TiersState => ({ ...s, error: errorText(e) });

/** One column of the Tiers page. */
export interface TierColumn {
  tier: Tier;
  usage: TierUsage;
  /** The models placed here, by name. */
  models: Model[];
}

/**
 * The four columns, hot / warm / swap / cold, each with its budget and use (a tier the status
 * leaves out counts as empty, without a budget) and its models by name.
 */
export function tierColumns(status: TierStatus): TierColumn[] {
  return TIERS.map((tier) => ({
    tier,
    usage: status.tiers.find((u) => u.tier === tier) ?? { tier, budgetBytes: null, usedBytes: 0, observedBytes: null, models: [] },
    models: status.models.filter((m) => m.tier === tier).sort((a, b) => a.name.localeCompare(b.name)),
  }));
}
