// Plain data the pure tier planner works on (src-main/core/tiers/plan). No I/O, no clock: every
// time is passed in as epoch milliseconds, every size is in bytes. The stateful tier manager
// (src-main/core/tiers) builds these from its store and the cgroup reader and applies the moves.

/**
 * Where a model-serving container is (DESIGN, Tiers):
 * hot = running and ready; warm = paused (cgroup freezer, memory kept);
 * swap = paused with its pages pushed to swap; cold = stopped (no memory).
 */
export type Tier = 'hot' | 'warm' | 'swap' | 'cold';

/** Hottest first. */
export const TIERS: readonly Tier[] = ['hot', 'warm', 'swap', 'cold'];

/** The tiers whose memory counts against the RAM budget. */
export const RAM_TIERS: readonly Tier[] = ['hot', 'warm'];

/** One model as the planner sees it. */
export interface ModelState {
  /** The model's unique name (the `model` field of OpenAI-style requests). */
  name: string;
  tier: Tier;
  /** Bytes: the container's measured peak memory, else the declared size. */
  footprintBytes: number;
  /** True when footprintBytes is a measured peak, false while it is the declared size. */
  measured: boolean;
  /** A pinned model is never moved by the planner or the optimiser. */
  pinned: boolean;
  /** Where the user would like it kept; the optimiser places it there first when the budget allows. */
  preferredTier?: Tier;
  /** Tasks it serves, e.g. 'text-generation', 'embedding', 'asr'. */
  capabilities: string[];
  /** 0–1, higher is better. */
  quality: number;
  /** 0–1, higher is faster. */
  speed: number;
  /** Epoch ms of the last request (0 when never used). */
  lastUsedAt: number;
  /** Exponentially decayed request count as of lastUsedAt (see usage.ts). */
  usageScore: number;
  /** Epoch ms when the model entered its current tier. */
  enteredTierAt: number;
  /** Requests in flight; a model serving a request is never moved. */
  serving: number;
}

/** Budgets, in bytes. */
export interface Limits {
  /** Bytes the hot and warm tiers together may hold. */
  ramBudgetBytes: number;
  /** Bytes the swap tier may hold (0 = no swap tier). */
  swapBudgetBytes: number;
  /** Bytes kept free inside the RAM budget (1 GiB by default). */
  safetyMarginBytes: number;
  /** Whether this host can push a paused container's pages to swap (cgroup v2 memory.reclaim, or v1 with host swap). */
  swapSupported: boolean;
}

/** One tier move the manager should run as a job. */
export interface Move {
  model: string;
  from: Tier;
  to: Tier;
  /** Bytes the move shifts (the model's footprint). */
  bytes: number;
  /** One sentence saying why. */
  reason: string;
}

/** The planner's answer: the moves to run, in order (demotions before promotions). */
export interface Plan {
  ok: boolean;
  moves: Move[];
  /** One sentence when ok is false (or a note when ok is true). */
  reason?: string;
  /** True when no amount of waiting will help: the footprint exceeds the budget, or only pinned models stand in the way. */
  canNeverFit?: boolean;
  /** Names of the models (pinned or serving) that stand in the way, when those are why it failed. */
  blockedBy?: string[];
}

/** A predicted move time, in milliseconds, with its band. */
export interface Prediction {
  ms: number;
  lowMs: number;
  highMs: number;
  /** Measured moves behind the fit (0 = the defaults alone). */
  samples: number;
}

/** Predicts how long moving `model` from `from` to `to` takes (see predictor.ts `predictorFor`). */
export type PredictFn = (model: Pick<ModelState, 'name' | 'footprintBytes'>, from: Tier, to: Tier) => Prediction;
