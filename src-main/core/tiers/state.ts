// The tier manager's state: the library of entries, the limits and predictor, loading and storing
// them, the planner's view of the models, their contract shapes, notifications and the status.
// Every other part of the manager (jobs, ensure, upkeep, library) reads and changes it through here.
import os from 'node:os';
import type { Model, SwapSupport, Tier, TierJob, TierLimits, TierStatus, TierUsage, ModelSpec } from '@shared/contract';
import { AppError } from '@shared/errors';
import { log } from '../log';
import type { StoredModel } from '../store/tiers';
import { applyLimits, defaultLimits, type LimitsPatch } from './limits';
import { launchFor, maskedLaunch, specAtRest, specFromRest } from './model-spec';
import type { MoveDeps } from './moves';
import { createPredictorState, predict, restorePredictorState, type PredictorState } from './plan/predictor';
import type { Limits, ModelState, PredictFn } from './plan/types';
import { DEFAULT_HALF_LIFE_MS } from './plan/usage';
import { hostSwapFacts, hostSwapTotal, swapSupport } from './swap';
import { footprint, inRam, passesRam, TIER_ORDER, type Entry, type TierManagerDeps } from './entry';

/** What changes as the manager runs, shared by all its parts. */
export interface TierMutable {
  limits: TierLimits;
  predictor: PredictorState;
  lastMoveAt: number;
  closing: boolean;
  /** Moves finished or started since a container was inspected (a stale inspect must not overwrite a move's outcome). */
  generation: number;
  reconciledDone: boolean;
  /** Reads every model's container back from the engine (set by the manager once its upkeep exists). */
  reconcile: () => Promise<void>;
}

export function createTierState(deps: TierManagerDeps) {
  const { repo, bus, events, cgroups, secrets } = deps;
  const clock = deps.clock ?? Date.now;
  const halfLifeMs = deps.halfLifeMs ?? DEFAULT_HALF_LIFE_MS;
  const host = deps.host ?? (() => ({ totalBytes: os.totalmem(), swapTotalBytes: hostSwapTotal() }));
  let swapFacts: SwapSupport | null = null;
  const swap = (): SwapSupport => (swapFacts ??= deps.swap ? deps.swap() : swapSupport(hostSwapFacts()));
  const entries = new Map<string, Entry>();
  const waiters = new Set<() => void>();
  const st: TierMutable = {
    limits: loadLimits(),
    predictor: loadPredictor(),
    lastMoveAt: 0,
    closing: false,
    generation: 0,
    reconciledDone: false,
    reconcile: () => Promise.resolve(),
  };

  // The library is loaded at once, so that a core that is never started (a CLI command's) knows it.
  for (const row of safeRows()) {
    try {
      entries.set(row.name, entryFrom(row));
    } catch (e) {
      log.warn(`tiers: model ${row.name} cannot be read back`, { message: (e as Error).message });
    }
  }
  let reconciled: Promise<void> | null = null;
  /** Reads the containers back once, before the first decision that depends on where models are. */
  const ready = (): Promise<void> =>
    (reconciled ??= st.reconcile()
      .catch((e: unknown) => log.warn('tiers: the engine could not be read; tiers are as last stored', { message: (e as Error).message }))
      .finally(() => {
        st.reconciledDone = true;
      }));

  const moveDeps: MoveDeps = {
    engine: () => deps.docker.engines.get(),
    lifecycle: deps.lifecycle,
    containers: deps.docker.containers,
    cgroups,
    tailLogs: async (id) => (await deps.docker.tailLogs(undefined, id, 5, false)).map((l) => l.text),
    stopTimeoutSeconds: deps.stopTimeoutSeconds ?? 10,
    clock,
  };

  // ---- state at rest ----------------------------------------------------------------------------

  function safeRows(): StoredModel[] {
    try {
      return repo.models();
    } catch (e) {
      log.warn('tiers: the model library cannot be read', { message: (e as Error).message });
      return [];
    }
  }

  function loadLimits(): TierLimits {
    const h = host();
    const base = defaultLimits(h);
    let stored: unknown;
    try {
      stored = repo.state('limits');
    } catch (e) {
      log.warn('tiers: the stored limits are not JSON; using the defaults', { message: (e as Error).message });
    }
    if (!stored || typeof stored !== 'object') return base;
    try {
      return applyLimits(base, stored as LimitsPatch, h);
    } catch (e) {
      // Stored on a machine with more memory, say: the defaults hold until someone sets them again.
      log.warn('tiers: the stored limits no longer fit this host; using the defaults', { message: (e as Error).message });
      return base;
    }
  }

  function loadPredictor(): PredictorState {
    try {
      const v = repo.state('predictor');
      return v === undefined ? createPredictorState() : restorePredictorState(v);
    } catch (e) {
      log.warn('tiers: the stored predictor state cannot be read; starting afresh', { message: (e as Error).message });
      return createPredictorState();
    }
  }

  function persist(e: Entry): void {
    if (deps.readOnly) return;
    const row: StoredModel = {
      name: e.name,
      spec: JSON.stringify(specAtRest(e.spec, secrets)),
      image: e.image,
      tier: e.tier,
      containerId: e.containerId,
      measuredBytes: e.measuredBytes,
      usageScore: e.usageScore,
      lastUsedAt: e.lastUsedAt,
      enteredTierAt: e.enteredTierAt,
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
    };
    safely('store model', () => repo.saveModel(row));
    e.dirty = false;
  }

  /** Runs a store write that must not fail a move already done (the database may be closing). */
  function safely(what: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      log.warn(`tiers: ${what} failed`, { message: (e as Error).message });
    }
  }

  function entryFrom(row: StoredModel): Entry {
    const stored = JSON.parse(row.spec) as ModelSpec;
    const { spec, missing } = specFromRest(stored, secrets);
    const launch = launchFor(spec);
    return {
      ...row,
      spec,
      launch,
      missingSecrets: missing,
      hostPort: null,
      holds: 0,
      job: null,
      lastFailure: null,
      dirty: false,
    };
  }

  // ---- what the planner sees --------------------------------------------------------------------

  function plannerLimits(): Limits {
    return { ramBudgetBytes: st.limits.ramBudgetBytes, swapBudgetBytes: st.limits.swapBudgetBytes, safetyMarginBytes: st.limits.safetyMarginBytes, swapSupported: swap().supported };
  }

  function stateOf(e: Entry): ModelState {
    return {
      name: e.name,
      tier: e.tier,
      footprintBytes: footprint(e),
      measured: e.measuredBytes !== null,
      pinned: e.spec.pinned,
      ...(e.spec.preferredTier ? { preferredTier: e.spec.preferredTier } : {}),
      capabilities: e.spec.capabilities,
      quality: e.spec.quality,
      speed: e.spec.speed,
      lastUsedAt: e.lastUsedAt ?? 0,
      usageScore: e.usageScore,
      enteredTierAt: e.enteredTierAt,
      // A model being moved may not be moved again until its job is done.
      serving: e.holds + (e.job ? 1 : 0),
    };
  }

  /** The planner's view: every model where it is, and the RAM promised to promotions under way (and to a cold model loading on its way to swap). */
  function view(): { models: ModelState[]; reservedBytes: number } {
    const models: ModelState[] = [];
    let reservedBytes = 0;
    for (const e of entries.values()) {
      models.push(stateOf(e));
      if (e.job && passesRam(e.job.job.from, e.job.job.to)) reservedBytes += footprint(e);
    }
    return { models, reservedBytes };
  }

  const predictFn: PredictFn = (m, from, to) => predict(st.predictor, m, from, to);

  // ---- contract shapes --------------------------------------------------------------------------

  function toModel(e: Entry): Model {
    return {
      name: e.name,
      image: e.image,
      launch: maskedLaunch(e.launch),
      catalog: e.spec.catalog ?? null,
      capabilities: e.spec.capabilities,
      quality: e.spec.quality,
      speed: e.spec.speed,
      port: e.spec.port,
      probe: e.spec.probe,
      declaredBytes: e.spec.declaredBytes,
      measuredBytes: e.measuredBytes,
      footprintBytes: footprint(e),
      pinned: e.spec.pinned,
      preferredTier: e.spec.preferredTier,
      readyTimeoutMs: e.spec.readyTimeoutMs,
      tier: e.tier,
      movingJobId: e.job?.job.id ?? null,
      containerId: e.containerId,
      hostPort: e.hostPort,
      predictedWake: predictFn(stateOf(e), e.tier, 'hot'),
      lastUsedAt: e.lastUsedAt,
      inFlight: e.holds,
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
    };
  }

  function need(name: string): Entry {
    const e = entries.get(name);
    if (!e) throw new AppError('NOT_FOUND', `no model "${name}" in the library (models.list shows them)`);
    return e;
  }

  // ---- notifications ----------------------------------------------------------------------------

  /** Wakes every ensure waiting for memory to free up (a move finished, a request ended). */
  function notify(): void {
    for (const w of [...waiters]) w();
  }

  /** Resolves at the next notify(), after `ms`, or when `signal` aborts (whichever comes first). */
  function changed(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const t = setTimeout(done, Math.max(0, ms));
      waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  let statusQueued = false;
  /** Tells tiers.changed listeners, once per burst of changes. */
  function announce(): void {
    if (statusQueued || st.closing) return;
    statusQueued = true;
    setImmediate(() => {
      statusQueued = false;
      status()
        .then((s) => bus.emit('tiers.changed', s))
        .catch((e: unknown) => log.warn('tiers: status for tiers.changed failed', { message: (e as Error).message }));
    });
  }

  function saveJob(job: TierJob): void {
    safely('store job', () => repo.saveJob(job));
    bus.emit('jobs.updated', { ...job });
  }

  // ---- jobs -------------------------------------------------------------------------------------

  function setTier(e: Entry, tier: Tier): void {
    if (e.tier === tier) return;
    e.enteredTierAt = clock();
    e.updatedAt = e.enteredTierAt;
    e.tier = tier;
  }

  // ---- status -----------------------------------------------------------------------------------

  async function status(): Promise<TierStatus> {
    if (!st.reconciledDone) await ready();
    const list = [...entries.values()];
    const observed = await Promise.all(list.map((e) => (e.containerId && e.tier !== 'cold' ? cgroups.read(e.containerId).catch(() => null) : Promise.resolve(null))));
    const tiers: TierUsage[] = TIER_ORDER.map((tier) => {
      const here = list.map((e, i) => ({ e, o: observed[i] })).filter((x) => x.e.tier === tier);
      return {
        tier,
        budgetBytes: tier === 'cold' ? null : tier === 'swap' ? st.limits.swapBudgetBytes : st.limits.ramBudgetBytes,
        usedBytes: here.reduce((s, x) => s + footprint(x.e), 0),
        observedBytes: tier === 'cold' ? null : here.reduce((s, x) => s + (x.o?.usageBytes ?? 0), 0),
        models: here.map((x) => x.e.name),
      };
    });
    const v = view();
    return {
      limits: { ...st.limits },
      swap: swap(),
      tiers,
      ramUsedBytes: list.reduce((s, e) => s + (inRam(e.tier) ? footprint(e) : 0), 0),
      ramBookedBytes: v.reservedBytes,
      models: list.map(toModel),
      ts: clock(),
    };
  }

  return {
    st,
    deps,
    repo,
    bus,
    events,
    cgroups,
    secrets,
    clock,
    halfLifeMs,
    host,
    swap,
    entries,
    moveDeps,
    ready,
    persist,
    safely,
    plannerLimits,
    stateOf,
    view,
    predictFn,
    toModel,
    need,
    notify,
    changed,
    announce,
    saveJob,
    setTier,
    status,
  };
}
export type TierState = ReturnType<typeof createTierState>;
