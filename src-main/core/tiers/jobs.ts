// The tier manager's jobs: a move booked on a model (synchronously, so memory is never
// double-booked), run through ./moves, put back when it fails, and recorded when it ends.
import { randomUUID } from 'node:crypto';
import type { MoveTrigger, Tier, TierJob } from '@shared/contract';
import { isAppError } from '@shared/errors';
import { log } from '../log';
import { hostPortOf, MoveFailure, restore, runMove } from './moves';
import { containerNameFor } from './names';
import { observe } from './plan/predictor';
import { recordMove } from './records';
import { footprint, inRam, type Entry, type Running } from './entry';
import type { TierState } from './state';

export function createTierJobs(s: TierState) {
  const { st, deps, repo, events, clock, entries, moveDeps, persist, safely, stateOf, predictFn, notify, announce, saveJob, setTier } = s;


  function newJob(e: Entry, from: Tier, to: Tier, trigger: MoveTrigger, reason: string, parentId: string | null): TierJob {
    const job: TierJob = {
      id: randomUUID(),
      model: e.name,
      from,
      to,
      state: 'queued',
      trigger,
      reason,
      prediction: predictFn(stateOf(e), from, to),
      actualMs: null,
      memoryBeforeBytes: null,
      memoryAfterBytes: null,
      verification: null,
      error: null,
      parentId,
      createdAt: clock(),
      startedAt: null,
      finishedAt: null,
    };
    saveJob(job);
    return job;
  }

  /** Books `job` on `e` (synchronously) and runs it once `after` settles. */
  function book(e: Entry, job: TierJob, after?: Promise<string | null>): Running {
    const running: Running = { job, done: Promise.resolve(job) };
    e.job = running;
    st.generation++;
    running.done = (async () => {
      const cancelled = after ? await after : null;
      if (cancelled !== null) return cancel(e, job, cancelled);
      return execute(e, job);
    })();
    return running;
  }

  /** Ends a job that never ran (its plan was given up): failed, recorded as scale_cancelled. */
  function cancel(e: Entry, job: TierJob, why: string): TierJob {
    job.state = 'failed';
    job.error = why;
    job.finishedAt = clock();
    finish(e, job, true);
    return job;
  }

  function finish(e: Entry, job: TierJob, cancelled: boolean): void {
    if (e.job?.job === job) e.job = null;
    st.generation++;
    saveJob(job);
    safely('record the move', () => recordMove({ repo, events }, job, { id: e.containerId, name: containerNameFor(e.name), image: e.image }, cancelled));
    if (entries.get(e.name) === e) persist(e);
    st.lastMoveAt = job.finishedAt ?? clock();
    notify();
    announce();
  }

  async function execute(e: Entry, job: TierJob): Promise<TierJob> {
    job.state = 'running';
    job.startedAt = clock();
    saveJob(job);
    const t0 = performance.now();
    try {
      if (e.missingSecrets.length && job.from === 'cold') {
        throw new MoveFailure(
          `the secret values of ${e.missingSecrets.join(', ')} were lost from the secret store: remove ${e.name} and add it again`,
          'CONFLICT',
          false,
          e.containerId,
          null,
        );
      }
      const r = await runMove(moveDeps, { name: e.name, spec: e.spec, launch: e.launch, containerId: e.containerId }, job.from, job.to, () => {
        job.state = 'verifying';
        saveJob(job);
      });
      job.actualMs = performance.now() - t0;
      e.containerId = r.containerId;
      e.hostPort = r.hostPort;
      setTier(e, job.to);
      // The footprint: the container's peak since it started, once it has loaded.
      const peak = r.after?.peakBytes ?? r.before?.peakBytes;
      if (peak !== undefined && (job.to !== 'cold' || inRam(job.from))) e.measuredBytes = Math.max(e.measuredBytes ?? 0, peak);
      job.state = 'done';
      job.memoryBeforeBytes = r.before?.usageBytes ?? (job.from === 'cold' ? 0 : null);
      job.memoryAfterBytes = r.after?.usageBytes ?? (job.to === 'cold' ? 0 : null);
      job.verification = r.verification;
      e.lastFailure = null;
      const o = observe(st.predictor, { model: e.name, from: job.from, to: job.to, bytes: footprint(e), ms: job.actualMs });
      st.predictor = o.state;
      safely('store the predictor', () => repo.saveState('predictor', st.predictor, clock()));
    } catch (err) {
      job.actualMs = performance.now() - t0;
      const f = err instanceof MoveFailure ? err : new MoveFailure((err as Error)?.message ?? String(err), isAppError(err) ? err.code : 'INTERNAL', true, e.containerId, null);
      job.error = f.message;
      job.memoryBeforeBytes = f.before?.usageBytes ?? null;
      e.lastFailure = { jobId: job.id, code: f.code };
      if (f.containerId) e.containerId = f.containerId;
      if (!f.acted) job.state = 'failed';
      else {
        try {
          const now = await restore(moveDeps, { name: e.name, spec: e.spec, launch: e.launch, containerId: e.containerId }, e.containerId, job.from);
          if (now === job.from) job.state = 'rolled_back';
          else {
            job.state = 'failed';
            job.error += `; it could not be put back ${job.from} and is ${now}`;
          }
          setTier(e, now);
        } catch (re) {
          job.state = 'failed';
          job.error += `; putting it back ${job.from} failed too: ${(re as Error).message}`;
          await resync(e);
        }
        if (e.tier === 'cold') e.hostPort = null;
      }
    }
    job.finishedAt = clock();
    finish(e, job, false);
    return job;
  }

  /** Reads the model's container from the engine and sets its tier from what is there (after a failure nothing else could put right). */
  async function resync(e: Entry): Promise<void> {
    if (!e.containerId) return setTier(e, 'cold');
    try {
      const d = await deps.docker.containers.inspect(deps.docker.engines.get(), e.containerId);
      setTier(e, d.state === 'running' ? 'hot' : d.state === 'paused' ? (e.tier === 'swap' ? 'swap' : 'warm') : 'cold');
      e.hostPort = d.state === 'running' || d.state === 'paused' ? hostPortOf(d, e.spec.port) : null;
    } catch (err) {
      if (isAppError(err) && err.code === 'NOT_FOUND') {
        e.containerId = null;
        e.hostPort = null;
        setTier(e, 'cold');
      } else log.warn(`tiers: cannot read the container of ${e.name}`, { message: (err as Error).message });
    }
  }

  return { newJob, book, cancel, resync };
}
export type TierJobs = ReturnType<typeof createTierJobs>;
