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
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type {
  Model,
  ModelPatch,
  ModelSpec,
  MoveTrigger,
  PlannedMove,
  Prediction,
  ScalingEvent,
  Selection,
  SelectionMode,
  Priority,
  SwapSupport,
  Tier,
  TierJob,
  TierJobState,
  TierLimits,
  TierStatus,
  TierUsage,
  LaunchSpec,
} from '@shared/contract';
import { AppError, isAppError, type ErrorCode } from '@shared/errors';
import { formatBytes } from '@shared/units';
import type { Bus } from '../bus';
import { every, type Loop } from '../every';
import { fireAndForget } from '../fire-and-forget';
import type { DockerService } from '../docker/service';
import type { SecretStore } from '../docker/secrets';
import type { Lifecycle } from '../lifecycle/service';
import { log } from '../log';
import type { EventLog } from '../store/events';
import type { StoredModel, TiersRepository } from '../store/tiers';
import { applyLimits, defaultLimits, type HostMemory, type LimitsPatch } from './limits';
import { forgetSecrets, launchFor, maskedLaunch, resolveSource, specAtRest, specFromRest, type CatalogResolver } from './model-spec';
import { hostPortOf, MoveFailure, restore, runMove, type MoveDeps } from './moves';
import { containerNameFor, LABEL_MODEL } from './names';
import { planEnsure } from './plan/evictions';
import { planOptimise } from './plan/optimiser';
import { createPredictorState, forgetModel, observe, predict, predictorErrorPct, restorePredictorState, type PredictorState } from './plan/predictor';
import { select as planSelect } from './plan/selection';
import type { Limits, ModelState, PredictFn } from './plan/types';
import { DEFAULT_HALF_LIFE_MS, recordUse } from './plan/usage';
import { isPromotion, recordMove } from './records';
import { hostSwapFacts, hostSwapTotal, swapSupport } from './swap';
import type { CgroupView } from './verify';

const inRam = (t: Tier) => t === 'hot' || t === 'warm';
/** A move that holds RAM it did not hold before while it runs: into the RAM tier, or cold → swap (loaded, then pushed out). */
const passesRam = (from: Tier, to: Tier) => !inRam(from) && (inRam(to) || (from === 'cold' && to === 'swap'));
const TIER_ORDER: Tier[] = ['hot', 'warm', 'swap', 'cold'];

export interface TierManagerDeps {
  repo: TiersRepository;
  bus: Bus;
  events: EventLog;
  docker: Pick<DockerService, 'engines' | 'containers' | 'tailLogs' | 'onDockerEvent'>;
  lifecycle: Pick<Lifecycle, 'launch' | 'operate'>;
  cgroups: CgroupView;
  secrets: SecretStore;
  /** Resolves a catalog repository to the image Docker pulls (models added with `catalog`). */
  catalog?: CatalogResolver;
  /** Physical memory and swap (default: os.totalmem() and /proc/meminfo). */
  host?: () => HostMemory;
  /** The swap tier's support (default: swapSupport over this host's facts, decided once at start). */
  swap?: () => SwapSupport;
  /** ms since epoch. */
  clock?: () => number;
  /** Seconds a stop waits before killing a model server (default 10, Docker's). */
  stopTimeoutSeconds?: number;
  /** How often idle demotion looks (default 15 s); 0 turns the timer off (tests call demoteIdle). */
  idleCheckMs?: number;
  /** Half-life of usage scores (default 30 min). */
  halfLifeMs?: number;
  /** A core that writes nothing (a read-only CLI command's): placement is read from the engine, never stored. */
  readOnly?: boolean;
}

/** A model's right to be answered by its server: held from acquire() until release(); the model is not moved meanwhile. */
export interface Lease {
  model: string;
  /** The 127.0.0.1 port its server answers on. */
  hostPort: number;
  /** How long acquire() waited for the model to be hot, ms. */
  waitedMs: number;
  /** The move that made it hot, when there was one. */
  job: TierJob | null;
  /** Lets the model go (idempotent). */
  release(): void;
}

interface Running {
  job: TierJob;
  done: Promise<TierJob>;
}

/** One model as the manager holds it: its stored row, with the spec parsed, and what lives only in memory. */
interface Entry extends Omit<StoredModel, 'spec'> {
  /** With its secret values (never stored so). */
  spec: ModelSpec;
  launch: LaunchSpec;
  /** Env variables whose secret values the store lost: the model cannot start until added again. */
  missingSecrets: string[];
  hostPort: number | null;
  /** Requests served or waiting (acquire → release). */
  holds: number;
  job: Running | null;
  /** The error code of its last failed move, for the proxy's status. */
  lastFailure: { jobId: string; code: ErrorCode } | null;
  /** Usage changed since last stored. */
  dirty: boolean;
}

const footprint = (e: Entry) => e.measuredBytes ?? e.spec.declaredBytes;

export function createTierManager(deps: TierManagerDeps) {
  const { repo, bus, events, cgroups, secrets } = deps;
  const clock = deps.clock ?? Date.now;
  const halfLifeMs = deps.halfLifeMs ?? DEFAULT_HALF_LIFE_MS;
  const host = deps.host ?? (() => ({ totalBytes: os.totalmem(), swapTotalBytes: hostSwapTotal() }));
  let swapFacts: SwapSupport | null = null;
  const swap = (): SwapSupport => (swapFacts ??= deps.swap ? deps.swap() : swapSupport(hostSwapFacts()));
  const entries = new Map<string, Entry>();
  const waiters = new Set<() => void>();
  let limits: TierLimits = loadLimits();
  let predictor: PredictorState = loadPredictor();
  let lastMoveAt = 0;
  let closing = false;
  let idleLoop: Loop | undefined;
  let unsubscribeDocker: (() => void) | undefined;
  /** Moves finished or started since a container was inspected (a stale inspect must not overwrite a move's outcome). */
  let generation = 0;

  // The library is loaded at once, so that a core that is never started (a CLI command's) knows it.
  for (const row of safeRows()) {
    try {
      entries.set(row.name, entryFrom(row));
    } catch (e) {
      log.warn(`tiers: model ${row.name} cannot be read back`, { message: (e as Error).message });
    }
  }
  let reconciled: Promise<void> | null = null;
  let reconciledDone = false;
  /** Reads the containers back once, before the first decision that depends on where models are. */
  const ready = (): Promise<void> =>
    (reconciled ??= reconcile()
      .catch((e: unknown) => log.warn('tiers: the engine could not be read; tiers are as last stored', { message: (e as Error).message }))
      .finally(() => {
        reconciledDone = true;
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
    return { ramBudgetBytes: limits.ramBudgetBytes, swapBudgetBytes: limits.swapBudgetBytes, safetyMarginBytes: limits.safetyMarginBytes, swapSupported: swap().supported };
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

  const predictFn: PredictFn = (m, from, to) => predict(predictor, m, from, to);

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
    if (statusQueued || closing) return;
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
    generation++;
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
    generation++;
    saveJob(job);
    safely('record the move', () => recordMove({ repo, events }, job, { id: e.containerId, name: containerNameFor(e.name), image: e.image }, cancelled));
    if (entries.get(e.name) === e) persist(e);
    lastMoveAt = job.finishedAt ?? clock();
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
      const o = observe(predictor, { model: e.name, from: job.from, to: job.to, bytes: footprint(e), ms: job.actualMs });
      predictor = o.state;
      safely('store the predictor', () => repo.saveState('predictor', predictor, clock()));
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

  // ---- ensure -----------------------------------------------------------------------------------

  type Planned = { kind: 'started'; job: TierJob } | { kind: 'never'; reason: string; blockedBy: string[] } | { kind: 'blocked'; reason: string };

  /** Plans and books the moves that make `e` hot, in one synchronous step. */
  function planFor(e: Entry, trigger: MoveTrigger): Planned {
    const v = view();
    const plan = planEnsure(e.name, v.models, plannerLimits(), predictFn, { now: clock(), halfLifeMs, reservedBytes: v.reservedBytes });
    if (!plan.ok) {
      if (plan.canNeverFit) return { kind: 'never', reason: plan.reason ?? `${e.name} can never fit`, blockedBy: plan.blockedBy ?? [] };
      return { kind: 'blocked', reason: plan.reason ?? `${e.name} does not fit now` };
    }
    const wake = plan.moves.find((m) => m.model === e.name);
    if (!wake) return { kind: 'blocked', reason: `the plan for ${e.name} has no move of it` };
    const target = newJob(e, wake.from, wake.to, trigger, wake.reason, null);
    const victims = plan.moves.filter((m) => m !== wake).map((m) => ({ v: need(m.model), m }));
    const evictionJobs = victims.map(({ v, m }) => ({ v, job: newJob(v, m.from, m.to, trigger === 'user' || trigger === 'cli' ? trigger : 'ensure', m.reason, target.id) }));
    const runs = evictionJobs.map(({ v, job }) => book(v, job));
    // The target runs once every eviction is done; a failed eviction gives the plan up.
    const gate = Promise.all(runs.map((r) => r.done)).then((done) => {
      const bad = done.find((j) => j.state !== 'done');
      return bad ? `the eviction of ${bad.model} (job ${bad.id}) did not complete: ${bad.error ?? bad.state}` : null;
    });
    book(e, target, runs.length ? gate : undefined);
    return { kind: 'started', job: target };
  }

  /**
   * Makes model `name` hot and holds it for one request: returns at once when it is hot, else plans
   * evictions (the planner's choice, pins honoured), moves, and waits for it to answer. While no
   * memory can be freed (models serving requests hold it) it waits for a move or a request to end,
   * up to the model's readyTimeoutMs. Concurrent calls for one model share its move.
   * Errors: NOT_FOUND (no such model), CONFLICT (it can never fit — details.canNeverFit —, it stayed
   * blocked, or its move failed: the move's own code, e.g. ADMISSION_REJECTED, when it had one),
   * and the abort reason when `signal` aborts.
   */
  async function acquire(name: string, opts: { trigger?: MoveTrigger; signal?: AbortSignal } = {}): Promise<Lease> {
    if (closing) throw new AppError('CONFLICT', 'the tier manager is shutting down');
    if (!reconciledDone) await ready();
    const e = need(name);
    const trigger = opts.trigger ?? 'ensure';
    const started = clock();
    const deadline = started + e.spec.readyTimeoutMs;
    let job: TierJob | null = null;
    let handed = false;
    e.holds++;
    try {
      for (;;) {
        if (opts.signal?.aborted) throw opts.signal.reason ?? new AppError('CONFLICT', 'the request was cancelled');
        if (entries.get(name) !== e) throw new AppError('NOT_FOUND', `model "${name}" was removed`);
        if (e.tier === 'hot' && !e.job && e.hostPort !== null) {
          handed = true;
          return lease(e, clock() - started, job);
        }
        if (e.job) {
          const j = await e.job.done;
          // A move to hot begun since this call came (its own or a shared one) that failed: its error is the answer.
          if (j.model === name && j.to === 'hot' && j.state !== 'done' && j.createdAt >= started) {
            const code = e.lastFailure?.jobId === j.id && e.lastFailure.code !== 'INTERNAL' ? e.lastFailure.code : 'CONFLICT';
            throw new AppError(code, `${name} could not be made hot: ${j.error ?? j.state}`, { jobId: j.id });
          }
          if (j.model === name && j.to === 'hot') job = j; // the move this call waited for, shared or its own
          continue;
        }
        if (e.tier === 'hot') await resync(e); // hot without a known port: read it back
        if (e.tier === 'hot' && e.hostPort !== null) continue;
        const p = planFor(e, trigger);
        if (p.kind === 'started') {
          job = p.job;
          continue;
        }
        if (p.kind === 'never') throw new AppError('CONFLICT', p.reason, { canNeverFit: true, blockedBy: p.blockedBy });
        if (clock() >= deadline) throw new AppError('CONFLICT', `${name} waited ${Math.round((clock() - started) / 1000)} s for memory: ${p.reason}`);
        await changed(deadline - clock(), opts.signal);
      }
    } finally {
      if (!handed) {
        e.holds--;
        notify();
      }
    }
  }

  function lease(e: Entry, waitedMs: number, job: TierJob | null): Lease {
    const now = clock();
    const u = recordUse({ usageScore: e.usageScore, lastUsedAt: e.lastUsedAt ?? 0 }, now, halfLifeMs);
    e.usageScore = u.usageScore;
    e.lastUsedAt = u.lastUsedAt;
    e.dirty = true; // stored with the next move or tick, not on every request
    let released = false;
    return {
      model: e.name,
      hostPort: e.hostPort!,
      waitedMs,
      job,
      release() {
        if (released) return;
        released = true;
        e.holds--;
        notify();
      },
    };
  }

  // ---- manual moves -----------------------------------------------------------------------------

  /**
   * Queues a move of `name` to `to` asked for by `trigger` (no evictions: a move that does not fit is
   * refused with the numbers). Errors: NOT_FOUND; CONFLICT (a move of it under way, already there,
   * serving requests and asked to leave the hot tier, does not fit the budget now or ever);
   * UNSUPPORTED (swap on a host that cannot).
   */
  function move(name: string, to: Tier, trigger: MoveTrigger): Running {
    if (closing) throw new AppError('CONFLICT', 'the tier manager is shutting down');
    const e = need(name);
    if (e.job) throw new AppError('CONFLICT', `a move of ${name} (${e.job.job.from} → ${e.job.job.to}, job ${e.job.job.id}) is under way`);
    if (e.tier === to) throw new AppError('CONFLICT', `${name} is ${to} already`);
    if ((to === 'swap' || e.tier === 'swap') && !swap().supported) throw new AppError('UNSUPPORTED', `the swap tier is not available: ${swap().reason}`);
    // Paused either way; only running brings a swapped-out model's pages back.
    if (e.tier === 'swap' && to === 'warm') throw new AppError('CONFLICT', `${name} is in swap: its pages come back only as it runs, so it moves to hot (or cold), not to warm`);
    if (e.holds > 0 && !isPromotion(e.tier, to)) throw new AppError('CONFLICT', `${name} is serving ${e.holds} request${e.holds === 1 ? '' : 's'}: it can leave the ${e.tier} tier when they end`);
    const fp = footprint(e);
    if (passesRam(e.tier, to)) {
      const v = view();
      const used = v.models.reduce((s, m) => s + (inRam(m.tier) ? m.footprintBytes : 0), 0) + v.reservedBytes;
      const budget = limits.ramBudgetBytes - limits.safetyMarginBytes;
      if (fp > budget) {
        throw new AppError('CONFLICT', `${name} can never fit: its ${e.measuredBytes !== null ? 'measured' : 'declared'} footprint of ${formatBytes(fp)} is more than the ${formatBytes(limits.ramBudgetBytes)} RAM budget less the ${formatBytes(limits.safetyMarginBytes)} safety margin`, { canNeverFit: true });
      }
      if (used + fp > budget) {
        throw new AppError(
          'CONFLICT',
          `${name} does not fit the RAM tier now: it needs ${formatBytes(fp)}${to === 'swap' ? ' while it loads, before it is pushed to swap' : ''}, and ${formatBytes(used)} of the ${formatBytes(budget)} usable (${formatBytes(limits.ramBudgetBytes)} budget less the ${formatBytes(limits.safetyMarginBytes)} margin) is taken; move a model out first, or use ensure, which evicts`,
          { neededBytes: fp, usedBytes: used, usableBytes: budget },
        );
      }
    }
    if (to === 'swap') {
      const used = [...entries.values()].reduce((s, x) => s + (x.tier === 'swap' || x.job?.job.to === 'swap' ? footprint(x) : 0), 0);
      if (used + fp > limits.swapBudgetBytes) throw new AppError('CONFLICT', `${name} does not fit the swap tier: ${formatBytes(used)} of its ${formatBytes(limits.swapBudgetBytes)} is taken`);
    }
    const reason = trigger === 'user' || trigger === 'cli' ? `asked by the ${trigger === 'cli' ? 'mlenv command' : 'user'}` : `moved by the ${trigger}`;
    return book(e, newJob(e, e.tier, to, trigger, reason, null));
  }

  // ---- idle demotion and the optimiser -----------------------------------------------------------

  /**
   * Demotes models unused for `limits.idleDemoteSeconds` (hot → warm) or twice that (warm → cold),
   * never a pinned or serving one, one being moved, or one whose preferred tier is where it is.
   * Returns the jobs queued. `now` ms since epoch.
   */
  function demoteIdle(now: number): TierJob[] {
    if (closing || limits.idleDemoteSeconds === null) return [];
    const idleMs = limits.idleDemoteSeconds * 1000;
    const jobs: TierJob[] = [];
    for (const e of entries.values()) {
      if (e.job || e.holds > 0 || e.spec.pinned) continue;
      const idle = now - Math.max(e.lastUsedAt ?? 0, e.enteredTierAt);
      const pref = e.spec.preferredTier;
      let to: Tier | null = null;
      if (e.tier === 'hot' && idle >= idleMs && pref !== 'hot') to = 'warm';
      else if (e.tier === 'warm' && idle >= 2 * idleMs && pref !== 'hot' && pref !== 'warm') to = 'cold';
      if (!to) continue;
      jobs.push(book(e, newJob(e, e.tier, to, 'idle', `unused for ${Math.round(idle / 1000)} s`, null)).job);
    }
    return jobs;
  }

  /** The optimiser's plan (usage with decay → wanted placement → moves, with hysteresis); with apply, its moves are queued as jobs. */
  function optimize(apply: boolean): { moves: PlannedMove[]; jobs: TierJob[] } {
    const v = view();
    const plan = planOptimise(v.models, plannerLimits(), { now: clock(), halfLifeMs, lastMoveAt });
    const moves: PlannedMove[] = plan.moves.map((m) => ({ model: m.model, from: m.from, to: m.to, reason: m.reason }));
    if (!apply || !plan.ok) return { moves, jobs: [] };
    // Demotions first; each promotion waits for the demotions before it.
    const jobs: TierJob[] = [];
    const demotions: Promise<TierJob>[] = [];
    for (const m of plan.moves) {
      const e = entries.get(m.model);
      if (!e || e.job || e.tier !== m.from) continue; // changed since the plan was read
      if ((m.to === 'swap' || m.from === 'swap') && !swap().supported) continue;
      const job = newJob(e, m.from, m.to, 'optimiser', m.reason, null);
      if (isPromotion(m.from, m.to)) {
        const before = Promise.all(demotions).then((d) => {
          const bad = d.find((j) => j.state !== 'done');
          return bad ? `the demotion of ${bad.model} did not complete: ${bad.error ?? bad.state}` : null;
        });
        book(e, job, demotions.length ? before : undefined);
      } else demotions.push(book(e, job).done);
      jobs.push(job);
    }
    return { moves, jobs };
  }

  // ---- library ----------------------------------------------------------------------------------

  async function add(input: ModelSpec, tier: 'hot' | 'warm' | 'cold', trigger: MoveTrigger): Promise<{ model: Model; job: TierJob | null }> {
    if (closing) throw new AppError('CONFLICT', 'the tier manager is shutting down');
    if (!reconciledDone) await ready();
    const taken = () => {
      if (entries.has(input.name)) throw new AppError('CONFLICT', `a model named "${input.name}" is in the library already: models.update changes it, models.remove takes it out`);
    };
    taken();
    const spec = await resolveSource(input, deps.catalog);
    taken(); // added by another call while the catalog answered
    const launch = launchFor(spec);
    const now = clock();
    const e: Entry = {
      name: spec.name,
      spec,
      launch,
      image: launch.image,
      missingSecrets: [],
      tier: 'cold',
      containerId: null,
      hostPort: null,
      measuredBytes: null,
      usageScore: 0,
      lastUsedAt: null,
      enteredTierAt: now,
      createdAt: now,
      updatedAt: now,
      holds: 0,
      job: null,
      lastFailure: null,
      dirty: false,
    };
    entries.set(e.name, e);
    persist(e);
    events.record({ type: 'tier.model.add', container: containerNameFor(e.name), image: e.image, engine: 'local', actor: trigger === 'cli' ? 'cli' : trigger === 'user' ? 'user' : 'tier-manager', details: { model: e.name, tier } });
    let job: TierJob | null = null;
    if (tier === 'hot') {
      // Hot-load: ensure() in the background (it may evict, as a request for the model would).
      const p = planFor(e, 'hot-load');
      if (p.kind === 'started') job = p.job;
      else {
        job = newJob(e, 'cold', 'hot', 'hot-load', 'hot-load when added', null);
        cancel(e, job, p.reason);
      }
    } else if (tier === 'warm') {
      try {
        job = move(e.name, 'warm', 'hot-load').job;
      } catch (err) {
        job = newJob(e, 'cold', 'warm', 'hot-load', 'hot-load when added', null);
        cancel(e, job, (err as Error).message);
      }
    }
    announce();
    return { model: toModel(e), job };
  }

  function update(name: string, patch: ModelPatch): Model {
    const e = need(name);
    const spec: ModelSpec = {
      ...e.spec,
      ...(patch.capabilities ? { capabilities: patch.capabilities } : {}),
      ...(patch.quality !== undefined ? { quality: patch.quality } : {}),
      ...(patch.speed !== undefined ? { speed: patch.speed } : {}),
      ...(patch.probe ? { probe: patch.probe } : {}),
      ...(patch.declaredBytes !== undefined ? { declaredBytes: patch.declaredBytes } : {}),
      ...(patch.pinned !== undefined ? { pinned: patch.pinned } : {}),
      ...(patch.preferredTier !== undefined ? { preferredTier: patch.preferredTier } : {}),
      ...(patch.readyTimeoutMs !== undefined ? { readyTimeoutMs: patch.readyTimeoutMs } : {}),
    };
    e.spec = spec;
    e.launch = { ...e.launch, probe: spec.probe.kind === 'http' ? { kind: 'http', port: spec.port, path: spec.probe.path } : { kind: 'tcp', port: spec.port } };
    e.updatedAt = clock();
    persist(e);
    announce();
    return toModel(e);
  }

  async function remove(name: string, force: boolean, actor: 'user' | 'cli'): Promise<{ name: string; removed: true }> {
    const e = need(name);
    if (e.job && !force) throw new AppError('CONFLICT', `a move of ${name} is under way (job ${e.job.job.id}); remove it with force, or when the move ends`);
    if (e.holds > 0 && !force) throw new AppError('CONFLICT', `${name} is serving ${e.holds} request${e.holds === 1 ? '' : 's'}; remove it with force, or when they end`);
    if (e.job) await e.job.done.catch(() => undefined);
    if (e.containerId) {
      try {
        await deps.docker.containers.remove(deps.docker.engines.get(), e.containerId, true, actor);
      } catch (err) {
        if (!(isAppError(err) && err.code === 'NOT_FOUND')) throw err;
      }
    }
    entries.delete(name);
    safely('forget the model', () => repo.removeModel(name));
    forgetSecrets(e.spec, secrets);
    predictor = forgetModel(predictor, name);
    events.record({ type: 'tier.model.remove', containerId: e.containerId, container: containerNameFor(name), image: e.image, engine: 'local', actor, details: { model: name, tier: e.tier } });
    notify();
    announce();
    return { name, removed: true };
  }

  // ---- status -----------------------------------------------------------------------------------

  async function status(): Promise<TierStatus> {
    if (!reconciledDone) await ready();
    const list = [...entries.values()];
    const observed = await Promise.all(list.map((e) => (e.containerId && e.tier !== 'cold' ? cgroups.read(e.containerId).catch(() => null) : Promise.resolve(null))));
    const tiers: TierUsage[] = TIER_ORDER.map((tier) => {
      const here = list.map((e, i) => ({ e, o: observed[i] })).filter((x) => x.e.tier === tier);
      return {
        tier,
        budgetBytes: tier === 'cold' ? null : tier === 'swap' ? limits.swapBudgetBytes : limits.ramBudgetBytes,
        usedBytes: here.reduce((s, x) => s + footprint(x.e), 0),
        observedBytes: tier === 'cold' ? null : here.reduce((s, x) => s + (x.o?.usageBytes ?? 0), 0),
        models: here.map((x) => x.e.name),
      };
    });
    const v = view();
    return {
      limits: { ...limits },
      swap: swap(),
      tiers,
      ramUsedBytes: list.reduce((s, e) => s + (inRam(e.tier) ? footprint(e) : 0), 0),
      ramBookedBytes: v.reservedBytes,
      models: list.map(toModel),
      ts: clock(),
    };
  }

  // ---- keeping up with the engine ---------------------------------------------------------------

  /** Finds each model's container by its label and sets its tier from the container's state. */
  async function reconcile(): Promise<void> {
    const engine = deps.docker.engines.get();
    const list = await engine.docker.listContainers({ all: true, filters: { label: [LABEL_MODEL] } });
    const at = generation;
    const byModel = new Map<string, (typeof list)[number]>();
    for (const c of list) {
      const name = c.Labels?.[LABEL_MODEL];
      if (name && (!byModel.has(name) || c.Created > byModel.get(name)!.Created)) byModel.set(name, c);
    }
    if (at !== generation) return; // a move started meanwhile: it knows better
    let changedAny = false;
    for (const e of entries.values()) {
      if (e.job) continue;
      const c = byModel.get(e.name);
      const was = `${e.tier} ${e.containerId} ${e.hostPort}`;
      if (!c) {
        e.containerId = null;
        e.hostPort = null;
        setTier(e, 'cold');
      } else {
        e.containerId = c.Id;
        const tier: Tier = c.State === 'running' ? 'hot' : c.State === 'paused' ? (e.tier === 'swap' ? 'swap' : 'warm') : 'cold';
        setTier(e, tier);
        e.hostPort = tier === 'cold' ? null : (c.Ports.find((p) => p.PrivatePort === e.spec.port && p.Type === 'tcp' && p.PublicPort)?.PublicPort ?? null);
      }
      if (`${e.tier} ${e.containerId} ${e.hostPort}` !== was) {
        changedAny = true;
        persist(e);
      }
    }
    if (changedAny) {
      notify();
      announce();
    }
  }

  let resyncQueued = false;
  /** A model's container changed outside a move (docker CLI, a crash): read every model back from the engine. */
  function onContainerEvent(): void {
    if (resyncQueued || closing) return;
    resyncQueued = true;
    setTimeout(() => {
      resyncQueued = false;
      if (closing) return;
      fireAndForget(reconcile(), 'tiers: reading the model containers back', deps.events);
    }, 200).unref();
  }

  function tick(): void {
    demoteIdle(clock());
    for (const e of entries.values()) if (e.dirty) persist(e);
  }

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
      closing = true;
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
      if (!reconciledDone) await ready();
      const r = move(name, to, trigger);
      return wait ? r.done : { ...r.job };
    },
    jobs: (filter: { model?: string; state?: TierJobState; limit: number }): TierJob[] => repo.jobs(filter),
    job(id: string): TierJob {
      const j = repo.job(id);
      if (!j) throw new AppError('NOT_FOUND', `no tier job ${id} (tiers.jobs lists them)`);
      return j;
    },
    limits: (): TierLimits => ({ ...limits, maxRamBudgetBytes: defaultLimits(host()).maxRamBudgetBytes }),
    /** Changes budgets while running; INVALID_INPUT when the host cannot give them (limits.ts). Journaled with `actor`. */
    setLimits(patch: LimitsPatch, actor: 'user' | 'cli'): TierLimits {
      const next = applyLimits(limits, patch, host());
      const before = limits;
      limits = next;
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
    predictorErrorPct: (): number => predictorErrorPct(predictor),
    /** The predicted move time of `name` from → to. */
    predict: (name: string, from: Tier, to: Tier): Prediction => predictFn(stateOf(need(name)), from, to),
    swapSupport: swap,
    /** Reads every model's container back from the engine now. */
    reconcile,
  };
}
export type TierManager = ReturnType<typeof createTierManager>;

