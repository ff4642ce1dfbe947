// The tier manager: the model library, where each model's container is (hot = running and ready,
// warm = paused, swap = paused with its pages pushed out, cold = stopped), moves as jobs, ensure()
// for the proxy, idle demotion, selection and the optimiser. Planning is the pure planner's
// (./plan); this module keeps state, books memory and runs the moves (./moves).
//
// Memory is never double-booked: every decision (a plan, a manual move's capacity check) reads the
// state and books its moves — each moving model gets its job before anything awaits — in one
// synchronous step, so no other decision can see the state in between. A model with a job counts
// where it came from and may not be moved again; a promotion into the RAM tier counts as reserved
// until it is done; a demotion frees its memory only once it is done.
//
// The parts: ./entry (shapes), ./state (library state, persistence, view, status), ./jobs (booking
// and running moves), ./ensure (ensure and manual moves), ./upkeep (idle demotion, the optimiser,
// reconciling from Docker events), ./library (add, update, remove); this module is the facade.
import type { Model, MoveTrigger, Prediction, ScalingEvent, Selection, SelectionMode, Priority, Tier, TierJob, TierJobState, TierLimits } from '@shared/contract';
import { AppError } from '@shared/errors';
import { every, type Loop } from '../every';
import { applyLimits, defaultLimits, type LimitsPatch } from './limits';
import { LABEL_MODEL } from './names';
import { predictorErrorPct } from './plan/predictor';
import { select as planSelect } from './plan/selection';
import type { TierManagerDeps } from './entry';
import { createTierEnsure } from './ensure';
import { createTierJobs } from './jobs';
import { createTierLibrary } from './library';
import { createTierState } from './state';
import { createTierUpkeep } from './upkeep';


export function createTierManager(deps: TierManagerDeps) {
  const s = createTierState(deps);
  const { st, repo, events, clock, host, swap, entries, ready, persist, safely, plannerLimits, stateOf, view, predictFn, toModel, need, notify, announce, status } = s;
  const jobs = createTierJobs(s);
  const ensure = createTierEnsure(s, jobs);
  const { acquire, move } = ensure;
  const { demoteIdle, optimize, reconcile, onContainerEvent, tick } = createTierUpkeep(s, jobs);
  st.reconcile = reconcile;
  const { add, update, remove } = createTierLibrary(s, jobs, ensure);
  let idleLoop: Loop | undefined;
  let unsubscribeDocker: (() => void) | undefined;

  return {
    /** Loads the library, marks moves an earlier run left unfinished as failed, reads each model's container back, starts idle demotion. */
    async start(): Promise<void> {
      safely('give up unfinished jobs', () => repo.abandonUnfinished('the app stopped before this move finished', clock()));
      unsubscribeDocker = deps.docker.onDockerEvent((ev) => {
        if (ev.Type === 'container' && ev.Actor.Attributes[LABEL_MODEL] !== undefined) onContainerEvent();
      });
      // Up to 3 s: an engine that does not answer must not hold the app's start (an event reconciles later).
      await Promise.race([ready(), new Promise((r) => setTimeout(r, 3000).unref())]);
      const everyMs = deps.idleCheckMs ?? 15_000;
      if (everyMs > 0) {
        idleLoop = every(everyMs, tick, { what: 'tiers: idle check', journal: deps.events });
      }
    },
    /** Stops idle demotion, lets moves under way finish (up to `graceMs`), and stores usage. */
    async dispose(graceMs = 10_000): Promise<void> {
      st.closing = true;
      await idleLoop?.dispose();
      unsubscribeDocker?.();
      notify();
      const running = [...entries.values()].map((e) => e.job?.done).filter((p): p is Promise<TierJob> => p !== undefined);
      if (running.length) await Promise.race([Promise.allSettled(running), new Promise((r) => setTimeout(r, graceMs).unref())]);
      for (const e of entries.values()) if (e.dirty) persist(e);
    },

    list: (): Model[] => [...entries.values()].map(toModel),
    get: (name: string): Model => toModel(need(name)),
    add,
    update,
    remove,
    status,
    acquire,
    /** tiers.ensure: acquire and let go at once. */
    async ensure(name: string, trigger: MoveTrigger = 'ensure'): Promise<{ model: string; tier: 'hot'; waitedMs: number; job: TierJob | null }> {
      const l = await acquire(name, { trigger });
      l.release();
      return { model: name, tier: 'hot', waitedMs: l.waitedMs, job: l.job };
    },
    /** tiers.move: the queued job, or with `wait` the finished one. */
    async move(name: string, to: Tier, trigger: MoveTrigger, wait = false): Promise<TierJob> {
      if (!st.reconciledDone) await ready();
      const r = move(name, to, trigger);
      return wait ? r.done : { ...r.job };
    },
    jobs: (filter: { model?: string; state?: TierJobState; limit: number }): TierJob[] => repo.jobs(filter),
    job(id: string): TierJob {
      const j = repo.job(id);
      if (!j) throw new AppError('NOT_FOUND', `no tier job ${id} (tiers.jobs lists them)`);
      return j;
    },
    limits: (): TierLimits => ({ ...st.limits, maxRamBudgetBytes: defaultLimits(host()).maxRamBudgetBytes }),
    /** Changes budgets while running; INVALID_INPUT when the host cannot give them (limits.ts). Journaled with `actor`. */
    setLimits(patch: LimitsPatch, actor: 'user' | 'cli'): TierLimits {
      const next = applyLimits(st.limits, patch, host());
      const before = st.limits;
      st.limits = next;
      const { maxRamBudgetBytes: _max, ...stored } = next;
      safely('store the limits', () => repo.saveState('limits', stored, clock()));
      events.record({ type: 'tier.limits', actor, details: { before, after: next } });
      notify(); // a larger budget may unblock an ensure
      announce();
      return { ...next };
    },
    /** Which model would answer, and how soon (changes nothing). */
    select(input: { mode: SelectionMode; task?: string; capabilities: string[]; priority: Priority; model?: string }): Selection {
      const caps = [...(input.task ? [input.task] : []), ...input.capabilities];
      const v = view();
      const r = planSelect({ mode: input.mode, model: input.model, capabilities: caps, priority: input.priority }, v.models, plannerLimits(), predictFn);
      const chosen = r.ok && r.model ? entries.get(r.model) : undefined;
      return {
        mode: input.mode,
        model: chosen?.name ?? null,
        tier: chosen?.tier ?? null,
        predictedReady: chosen ? (r.wake ?? predictFn(stateOf(chosen), chosen.tier, 'hot')) : null,
        reason: r.reason,
        candidates: r.scores.map((s) => ({ model: s.model, score: s.total, tier: s.tier, predictedReadyMs: s.wakeMs })),
      };
    },
    optimize,
    demoteIdle,
    scalingEvents: (filter: { model?: string; since?: number; limit: number }): ScalingEvent[] => repo.scalingEvents(filter),
    /** The predictor's error over measured moves, % (NaN before any). */
    predictorErrorPct: (): number => predictorErrorPct(st.predictor),
    /** The predicted move time of `name` from → to. */
    predict: (name: string, from: Tier, to: Tier): Prediction => predictFn(stateOf(need(name)), from, to),
    swapSupport: swap,
    /** Reads every model's container back from the engine now. */
    reconcile,
  };
}
export type TierManager = ReturnType<typeof createTierManager>;
