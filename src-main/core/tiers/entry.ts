// The tier manager's shapes: what it is given (TierManagerDeps), a model as it holds one (Entry),
// a lease on a hot model, and the small rules about tiers every part of it shares.
import type { ErrorCode } from '@shared/errors';
import type { LaunchSpec, ModelSpec, SwapSupport, Tier, TierJob } from '@shared/contract';
import type { Bus } from '../bus';
import type { DockerService } from '../docker/service';
import type { SecretStore } from '../docker/secrets';
import type { Lifecycle } from '../lifecycle/service';
import type { EventLog } from '../store/events';
import type { StoredModel, TiersRepository } from '../store/tiers';
import type { HostMemory } from './limits';
import type { CatalogResolver } from './model-spec';
import type { CgroupView } from './verify';

export const inRam = (t: Tier) => t === 'hot' || t === 'warm';
/** A move that holds RAM it did not hold before while it runs: into the RAM tier, or cold → swap (loaded, then pushed out). */
export const passesRam = (from: Tier, to: Tier) => !inRam(from) && (inRam(to) || (from === 'cold' && to === 'swap'));
export const TIER_ORDER: Tier[] = ['hot', 'warm', 'swap', 'cold'];

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

export interface Running {
  job: TierJob;
  done: Promise<TierJob>;
}

/** One model as the manager holds it: its stored row, with the spec parsed, and what lives only in memory. */
export interface Entry extends Omit<StoredModel, 'spec'> {
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

export const footprint = (e: Entry) => e.measuredBytes ?? e.spec.declaredBytes;
