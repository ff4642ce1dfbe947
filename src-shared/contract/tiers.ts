// Model tiers: a library of model-serving containers placed hot / warm / swap / cold against a
// memory budget, moves as jobs, selection, and the scaling-event record.
//
// The original system's request shapes map onto these requests:
//   {model}                                → tiers.ensure {model}        (make it hot; the proxy does this per request)
//   {auto_select, priority, capabilities}  → tiers.select {mode: 'auto', priority, capabilities | task}
//   {hot_load}                             → models.add {model, tier}    (a background job; its id comes back)
//   {load_status}                          → tiers.job {id}              (the hot-load's job)
//   {tier_status}                          → tiers.status {}
//   {move_tier}                            → tiers.move {model, to}
//   {tier_job_status}                      → tiers.job {id} / tiers.jobs {model?, state?}
//   {update_limits}                        → tiers.setLimits {ramBudgetBytes?, swapBudgetBytes?, safetyMarginBytes?, …}
//   {auto_optimize}                        → tiers.optimize {apply}
//   {list_models}                          → models.list {}
import { z } from 'zod';
import { parseBytes } from '../units';
import { repositorySchema, tagSchema } from './catalog';
import { launchSchema, type LaunchSpec } from './containers';
import { event, request } from './define';
import { via } from './parse';

/** hot = running and ready; warm = paused (freezer: memory kept); swap = paused with pages pushed out; cold = stopped. */
export const TIERS = ['hot', 'warm', 'swap', 'cold'] as const;
export type Tier = (typeof TIERS)[number];

export const JOB_STATES = ['queued', 'running', 'verifying', 'done', 'failed', 'rolled_back'] as const;
export type TierJobState = (typeof JOB_STATES)[number];

export const SCALING_EVENT_TYPES = ['scale_up', 'scale_down', 'auto_scale_triggered', 'manual_scale', 'scale_cancelled'] as const;
export type ScalingEventType = (typeof SCALING_EVENT_TYPES)[number];

/** What asked for a move: a person (app / browser), the CLI, ensure() (the proxy or tiers.ensure), the optimiser, idle demotion, a hot-load. */
export const MOVE_TRIGGERS = ['user', 'cli', 'ensure', 'optimiser', 'idle', 'hot-load'] as const;
export type MoveTrigger = (typeof MOVE_TRIGGERS)[number];

export const PRIORITIES = ['speed', 'quality', 'balanced'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const SELECTION_MODES = ['manual', 'auto', 'hybrid'] as const;
export type SelectionMode = (typeof SELECTION_MODES)[number];

/**
 * A model's name as clients send it in an OpenAI request's `model` field ("llama3:8b",
 * "meta-llama/Llama-3-8B"): 1–128 letters, digits and _ . : / -, starting with a letter or digit.
 * "auto" is reserved for selection.
 */
export const modelName = z
  .string()
  .max(128)
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.:/-]{0,127}$/, 'a model name is 1–128 letters, digits, _ . : / or -, starting with a letter or digit')
  .refine((n) => n !== 'auto', '"auto" is reserved: it asks selection to choose');

/** A task or capability word, e.g. text-generation, embedding, asr, chat. */
export const capability = z.string().max(64).regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'a capability is lower-case letters, digits, _ . or -, e.g. text-generation');

/** A byte count: a number of bytes, or text such as "512m", "8g" (src-shared/units parseBytes). */
export const bytesInput = z.union([z.number().int().min(0).max(2 ** 52), via(parseBytes, 32)]);

/** A 0–1 score (quality or speed) used by selection. */
const score = z.number().min(0).max(1);

/** How to tell the model server is ready: an HTTP GET on `path` answered below 500 (as the health probe judges), or a TCP connect, on the model's port. */
export const readinessProbeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('http'), path: z.string().max(1024).regex(/^\/[\x21-\x7e]*$/, 'an HTTP path starting with /') }).strict(),
  z.object({ kind: z.literal('tcp') }).strict(),
]);
export type ReadinessProbe = z.infer<typeof readinessProbeSchema>;

/** Where the model's image comes from when `launch` is not given: a catalog entry (its pullName and this tag). */
export const catalogSourceSchema = z
  .object({
    /** The catalog entry's repository, e.g. nvidia/tritonserver (catalog.search gives them). */
    repository: repositorySchema,
    tag: tagSchema.default('latest'),
  })
  .strict();

/** A model as `models.add` takes it. */
export const modelSpecSchema = z
  .object({
    name: modelName,
    /** The container to run (image, env, command, shm size, GPUs, …); its name, labels, ports and start are set by the tier manager. */
    launch: launchSchema.optional(),
    catalog: catalogSourceSchema.optional(),
    capabilities: z.array(capability).min(1).max(32),
    quality: score.default(0.5),
    speed: score.default(0.5),
    /** The container port the server listens on; published on 127.0.0.1 at a port the engine picks. */
    port: z.number().int().min(1).max(65535),
    probe: readinessProbeSchema.default({ kind: 'tcp' }),
    /** Memory the model is expected to hold when hot (bytes), used until a footprint is measured. */
    declaredBytes: bytesInput,
    pinned: z.boolean().default(false),
    /** Where the optimiser and idle demotion prefer to keep it; null: wherever use puts it. */
    preferredTier: z.enum(TIERS).nullable().default(null),
    /** How long a move to hot may wait for readiness before it fails (ms). */
    readyTimeoutMs: z.number().int().min(1000).max(3_600_000).default(120_000),
  })
  .strict()
  .refine((m) => (m.launch === undefined) !== (m.catalog === undefined), 'give exactly one of launch (an image and its options) or catalog (a repository)');
export type ModelSpecInput = z.input<typeof modelSpecSchema>;
export type ModelSpec = z.output<typeof modelSpecSchema>;

export const modelPatchSchema = z
  .object({
    capabilities: z.array(capability).min(1).max(32).optional(),
    quality: score.optional(),
    speed: score.optional(),
    probe: readinessProbeSchema.optional(),
    declaredBytes: bytesInput.optional(),
    pinned: z.boolean().optional(),
    preferredTier: z.enum(TIERS).nullable().optional(),
    readyTimeoutMs: z.number().int().min(1000).max(3_600_000).optional(),
  })
  .strict();
export type ModelPatch = z.output<typeof modelPatchSchema>;

/** A predicted duration with its band (ms): `ms` is the estimate, [lowMs, highMs] the band; `samples` the measured moves behind it (0: a prior). */
export interface Prediction {
  ms: number;
  lowMs: number;
  highMs: number;
  samples: number;
}

/** A model in the library and where it is now. */
export interface Model {
  name: string;
  /** The image it runs (from `launch.image`, or the catalog repository resolved). */
  image: string;
  /** The launch spec as given (secret env values masked). */
  launch: LaunchSpec;
  catalog: { repository: string; tag: string } | null;
  capabilities: string[];
  quality: number;
  speed: number;
  port: number;
  probe: ReadinessProbe;
  declaredBytes: number;
  /** Measured peak memory of its container (cgroup max usage), null until measured. */
  measuredBytes: number | null;
  /** What placement counts: measuredBytes, else declaredBytes. */
  footprintBytes: number;
  pinned: boolean;
  preferredTier: Tier | null;
  readyTimeoutMs: number;
  /** Where it is now, as last verified. */
  tier: Tier;
  /** A move in progress (its job id), else null. */
  movingJobId: string | null;
  containerId: string | null;
  /** The 127.0.0.1 port its server is published on while the container exists. */
  hostPort: number | null;
  /** Predicted time to hot from where it is (0 when hot). */
  predictedWake: Prediction;
  /** Requests through the proxy or ensure() (ms since epoch), null when never used. */
  lastUsedAt: number | null;
  /** Requests the proxy is forwarding to it now. */
  inFlight: number;
  createdAt: number;
  updatedAt: number;
}

/** The tier budgets. RAM holds hot + warm models; swap holds swap-tier models. */
export interface TierLimits {
  ramBudgetBytes: number;
  swapBudgetBytes: number;
  /** Kept free on top of the budget when planning a move. */
  safetyMarginBytes: number;
  /** Hot models unused this long become warm, warm ones twice as long become cold; null: never demoted. */
  idleDemoteSeconds: number | null;
  /** The largest RAM budget the host allows now: physical memory minus the admission floor. */
  maxRamBudgetBytes: number;
}

export const limitsPatchSchema = z
  .object({
    ramBudgetBytes: bytesInput.optional(),
    swapBudgetBytes: bytesInput.optional(),
    safetyMarginBytes: bytesInput.optional(),
    idleDemoteSeconds: z.number().int().min(10).max(7 * 86_400).nullable().optional(),
  })
  .strict();

/** Whether the swap tier works on this host, and how or why not. */
export interface SwapSupport {
  supported: boolean;
  /** cgroup v2 memory.reclaim, or a lowered memory limit on cgroup v1 with swap present. */
  method: 'memory.reclaim' | 'memory.limit' | null;
  /** Worded for a person, e.g. "this host has cgroup v1 and no swap space". */
  reason: string;
}

export interface TierUsage {
  tier: Tier;
  /** null: no budget of its own (cold is disk). */
  budgetBytes: number | null;
  /** Footprints of the models placed here (hot and warm share the RAM budget). */
  usedBytes: number;
  /** Memory the cgroups report for its models' containers now (null for cold). */
  observedBytes: number | null;
  models: string[];
}

export interface TierStatus {
  limits: TierLimits;
  swap: SwapSupport;
  /** hot, warm, swap, cold in that order. */
  tiers: TierUsage[];
  /** RAM budget in use (hot + warm footprints + memory booked by moves in flight). */
  ramUsedBytes: number;
  ramBookedBytes: number;
  models: Model[];
  ts: number;
}

/** A move of one model between tiers, run as a job. */
export interface TierJob {
  id: string;
  model: string;
  from: Tier;
  to: Tier;
  state: TierJobState;
  trigger: MoveTrigger;
  /** Why, worded for a person ("evicted for llama3", "idle 600 s", "asked by the user"). */
  reason: string;
  /** The predicted duration before it ran, null when none applies (a demotion). */
  prediction: Prediction | null;
  actualMs: number | null;
  /** Memory charged to the container's cgroup before and after (bytes), null when no container. */
  memoryBeforeBytes: number | null;
  memoryAfterBytes: number | null;
  /** What the verification saw, e.g. "freezer FROZEN, 64.0 MiB kept". */
  verification: string | null;
  error: string | null;
  /** The job this one was run for (an eviction for an ensure), else null. */
  parentId: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

/** One `scaling_events` row: every move, manual or automatic, succeeded or not. */
export interface ScalingEvent {
  id: number;
  type: ScalingEventType;
  model: string;
  fromTier: Tier;
  toTier: Tier;
  memoryBeforeBytes: number | null;
  memoryAfterBytes: number | null;
  reason: string;
  trigger: MoveTrigger;
  jobId: string | null;
  startedAt: number;
  finishedAt: number | null;
  durationMs: number | null;
  success: boolean;
  error: string | null;
}

/** What selection chose and why. */
export interface Selection {
  mode: SelectionMode;
  /** null when no model can serve the task. */
  model: string | null;
  tier: Tier | null;
  /** Predicted time until it is ready to answer (0 when hot). */
  predictedReady: Prediction | null;
  /** Worded for a person (in hybrid, why the pick was replaced). */
  reason: string;
  /** The candidates that could serve, best first. */
  candidates: { model: string; score: number; tier: Tier; predictedReadyMs: number }[];
}

/** One move the optimiser wants, and why. */
export interface PlannedMove {
  model: string;
  from: Tier;
  to: Tier;
  reason: string;
}

/** The model proxy listener on 127.0.0.1 (setting `tiers.proxy`), as Settings shows it. */
export interface TierProxyStatus {
  /** The setting: whether it should listen, and on which port. */
  enabled: boolean;
  port: number;
  /** Whether this process runs the listener at all (the desktop app and mlenv serve do; a one-shot CLI command does not). */
  offered: boolean;
  listening: boolean;
  /** The base URL an OpenAI client takes (http://127.0.0.1:PORT/v1) while listening; null otherwise. */
  url: string | null;
  /** What clients send as `Authorization: Bearer`; null only where none was made yet and none can be (a read-only core). */
  token: string | null;
  /** Why it does not listen although enabled (the port taken, …); null otherwise. */
  error: string | null;
}

const jobId = z.string().max(64).regex(/^[a-zA-Z0-9_-]+$/, 'a job id as tiers.jobs gives it');

export const tiersRequests = {
  'models.list': request(z.object({}).strict()).returns<Model[]>(),
  /** Adds a model while the system runs (hot-load): the model is recorded at once; moving it to `tier` is a background job. */
  'models.add': request(z.object({ model: modelSpecSchema, tier: z.enum(['hot', 'warm', 'cold']).default('cold') }).strict()).returns<{
    model: Model;
    /** The hot-load's job; null when the model stays cold. */
    job: TierJob | null;
  }>(),
  'models.update': request(z.object({ name: modelName, patch: modelPatchSchema }).strict()).returns<Model>(),
  /** Stops and removes its container and forgets the model (refused while it serves a request unless force). */
  'models.remove': request(z.object({ name: modelName, force: z.boolean().default(false) }).strict()).returns<{ name: string; removed: true }>(),
  'tiers.status': request(z.object({}).strict()).returns<TierStatus>(),
  /** Queues a move; with wait, answers when the job has finished (done, failed or rolled back). */
  'tiers.move': request(z.object({ model: modelName, to: z.enum(TIERS), wait: z.boolean().default(false) }).strict()).returns<TierJob>(),
  /** Makes the model hot (evicting others as planned), answering when it is ready. */
  'tiers.ensure': request(z.object({ model: modelName }).strict()).returns<{ model: string; tier: 'hot'; waitedMs: number; job: TierJob | null }>(),
  'tiers.jobs': request(
    z
      .object({ model: modelName.optional(), state: z.enum(JOB_STATES).optional(), limit: z.number().int().min(1).max(1000).default(100) })
      .strict(),
  ).returns<TierJob[]>(),
  'tiers.job': request(z.object({ id: jobId }).strict()).returns<TierJob>(),
  'tiers.limits': request(z.object({}).strict()).returns<TierLimits>(),
  /** Changes budgets while running; refused when the RAM budget exceeds physical memory minus the admission floor. */
  'tiers.setLimits': request(z.object({ patch: limitsPatchSchema }).strict()).returns<TierLimits>(),
  /** Which model would answer this task, and how long until it is ready. Changes nothing. */
  'tiers.select': request(
    z
      .object({
        mode: z.enum(SELECTION_MODES).default('auto'),
        /** One task word (text-generation, embedding, …); joined to capabilities. */
        task: capability.optional(),
        capabilities: z.array(capability).max(32).default([]),
        priority: z.enum(PRIORITIES).default('balanced'),
        /** The user's pick (manual and hybrid). */
        model: modelName.optional(),
      })
      .strict(),
  ).returns<Selection>(),
  /** The optimiser: usage with decay → wanted placement → moves. apply=false only plans. */
  'tiers.optimize': request(z.object({ apply: z.boolean().default(false) }).strict()).returns<{ moves: PlannedMove[]; jobs: TierJob[] }>(),
  'tiers.scalingEvents': request(
    z
      .object({
        model: modelName.optional(),
        since: z.number().int().min(0).optional(),
        limit: z.number().int().min(1).max(5000).default(200),
      })
      .strict(),
  ).returns<ScalingEvent[]>(),
  /** The model proxy listener: setting, state, address and token (for Settings → Model proxy). */
  'tiers.proxyStatus': request(z.object({}).strict()).returns<TierProxyStatus>(),
  /** Replaces the proxy's token (clients need the new one); a running listener takes it at once. */
  'tiers.proxyNewToken': request(z.object({}).strict()).returns<TierProxyStatus>(),
};

export const tiersEvents = {
  /** A tier job changed state (queued, running, verifying, done, failed, rolled_back). */
  'jobs.updated': event<TierJob>(),
  /** Placement, usage or limits changed. */
  'tiers.changed': event<TierStatus>(),
};
