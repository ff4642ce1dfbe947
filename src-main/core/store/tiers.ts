// The tiers repository: `models` (the model library), `tier_jobs` (moves), `scaling_events` (every
// move as a record) and `tier_state` (the tier manager's limits and predictor as JSON by key).
// Which values are valid is the tier manager's business; this file only stores and reads them.
import type { Prediction, ScalingEvent, Tier, TierJob, TierJobState } from '@shared/contract';
import type { Db } from './db';

/** A models row as stored: `spec` is the JSON text of the ModelSpec at rest (secret values masked). */
export interface StoredModel {
  name: string;
  spec: string;
  image: string;
  tier: Tier;
  containerId: string | null;
  measuredBytes: number | null;
  usageScore: number;
  /** ms since epoch, null when never used. */
  lastUsedAt: number | null;
  enteredTierAt: number;
  createdAt: number;
  updatedAt: number;
}

/** A scaling event to record: the contract's row before the store gives it an id. */
export type ScalingEventRecord = Omit<ScalingEvent, 'id'>;

const MODEL_COLUMNS = `name, spec, image, tier, container_id AS containerId, measured_bytes AS measuredBytes, usage_score AS usageScore,
  last_used_at AS lastUsedAt, entered_tier_at AS enteredTierAt, created_at AS createdAt, updated_at AS updatedAt`;
const JOB_COLUMNS = `id, model, from_tier AS "from", to_tier AS "to", state, trigger, reason, prediction, actual_ms AS actualMs,
  memory_before AS memoryBeforeBytes, memory_after AS memoryAfterBytes, verification, error, parent_id AS parentId,
  created_at AS createdAt, started_at AS startedAt, finished_at AS finishedAt`;
const EVENT_COLUMNS = `id, type, model, from_tier AS fromTier, to_tier AS toTier, memory_before AS memoryBeforeBytes, memory_after AS memoryAfterBytes,
  reason, trigger, job_id AS jobId, started_at AS startedAt, finished_at AS finishedAt, duration_ms AS durationMs, success, error`;

type JobRow = Omit<TierJob, 'prediction'> & { prediction: string | null };
const toJob = (r: JobRow): TierJob => ({ ...r, prediction: r.prediction ? (JSON.parse(r.prediction) as Prediction) : null });
type EventRow = Omit<ScalingEvent, 'success'> & { success: number };
const toEvent = (r: EventRow): ScalingEvent => ({ ...r, success: r.success === 1 });

export function createTiersRepository(db: Db) {
  const allModels = db.prepare(`SELECT ${MODEL_COLUMNS} FROM models ORDER BY name`);
  const upsertModel = db.prepare(
    `INSERT INTO models (name, spec, image, tier, container_id, measured_bytes, usage_score, last_used_at, entered_tier_at, created_at, updated_at)
     VALUES (@name, @spec, @image, @tier, @containerId, @measuredBytes, @usageScore, @lastUsedAt, @enteredTierAt, @createdAt, @updatedAt)
     ON CONFLICT (name) DO UPDATE SET spec = excluded.spec, image = excluded.image, tier = excluded.tier, container_id = excluded.container_id,
       measured_bytes = excluded.measured_bytes, usage_score = excluded.usage_score, last_used_at = excluded.last_used_at,
       entered_tier_at = excluded.entered_tier_at, updated_at = excluded.updated_at`,
  );
  const deleteModel = db.prepare('DELETE FROM models WHERE name = ?');

  const upsertJob = db.prepare(
    `INSERT INTO tier_jobs (id, model, from_tier, to_tier, state, trigger, reason, prediction, actual_ms, memory_before, memory_after, verification, error, parent_id, created_at, started_at, finished_at)
     VALUES (@id, @model, @from, @to, @state, @trigger, @reason, @prediction, @actualMs, @memoryBeforeBytes, @memoryAfterBytes, @verification, @error, @parentId, @createdAt, @startedAt, @finishedAt)
     ON CONFLICT (id) DO UPDATE SET state = excluded.state, actual_ms = excluded.actual_ms, memory_before = excluded.memory_before,
       memory_after = excluded.memory_after, verification = excluded.verification, error = excluded.error,
       started_at = excluded.started_at, finished_at = excluded.finished_at`,
  );
  const oneJob = db.prepare(`SELECT ${JOB_COLUMNS} FROM tier_jobs WHERE id = ?`);
  // Jobs left unfinished by an app that stopped mid-move: they did not finish and never will.
  const abandon = db.prepare(
    `UPDATE tier_jobs SET state = 'failed', error = ?, finished_at = ? WHERE state IN ('queued', 'running', 'verifying')`,
  );

  const insertEvent = db.prepare(
    `INSERT INTO scaling_events (type, model, from_tier, to_tier, memory_before, memory_after, reason, trigger, job_id, started_at, finished_at, duration_ms, success, error)
     VALUES (@type, @model, @fromTier, @toTier, @memoryBeforeBytes, @memoryAfterBytes, @reason, @trigger, @jobId, @startedAt, @finishedAt, @durationMs, @success, @error)`,
  );

  const getState = db.prepare('SELECT value FROM tier_state WHERE key = ?');
  const putState = db.prepare(
    `INSERT INTO tier_state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  );

  return {
    /** Every model, by name. */
    models: (): StoredModel[] => allModels.all() as StoredModel[],
    /** Writes one model row whole (insert or replace by name). */
    saveModel(m: StoredModel): void {
      upsertModel.run(m);
    },
    /** Forgets a model; true when it was stored. Its jobs and scaling events stay as history. */
    removeModel: (name: string): boolean => deleteModel.run(name).changes > 0,

    /** Writes a job whole (insert, or update of its changing fields by id). */
    saveJob(j: TierJob): void {
      upsertJob.run({ ...j, prediction: j.prediction ? JSON.stringify(j.prediction) : null });
    },
    job: (id: string): TierJob | undefined => {
      const r = oneJob.get(id) as JobRow | undefined;
      return r ? toJob(r) : undefined;
    },
    /** Newest first; `model` and `state` filter exactly. */
    jobs(filter: { model?: string; state?: TierJobState; limit: number }): TierJob[] {
      const where: string[] = [];
      const args: unknown[] = [];
      if (filter.model !== undefined) {
        where.push('model = ?');
        args.push(filter.model);
      }
      if (filter.state !== undefined) {
        where.push('state = ?');
        args.push(filter.state);
      }
      const sql = `SELECT ${JOB_COLUMNS} FROM tier_jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, rowid DESC LIMIT ?`;
      return (db.prepare(sql).all(...args, filter.limit) as JobRow[]).map(toJob);
    },
    /** Marks every unfinished job failed with `error` (at start: the app that ran them is gone); returns how many. */
    abandonUnfinished: (error: string, now: number): number => abandon.run(error, now).changes,

    /** Records one scaling event; returns its id. */
    addScalingEvent: (e: ScalingEventRecord): number => Number(insertEvent.run({ ...e, success: e.success ? 1 : 0 }).lastInsertRowid),
    /** Newest first; `model` exact, `since` ms since epoch (started at or after). */
    scalingEvents(filter: { model?: string; since?: number; limit: number }): ScalingEvent[] {
      const where: string[] = [];
      const args: unknown[] = [];
      if (filter.model !== undefined) {
        where.push('model = ?');
        args.push(filter.model);
      }
      if (filter.since !== undefined) {
        where.push('started_at >= ?');
        args.push(filter.since);
      }
      const sql = `SELECT ${EVENT_COLUMNS} FROM scaling_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC, id DESC LIMIT ?`;
      return (db.prepare(sql).all(...args, filter.limit) as EventRow[]).map(toEvent);
    },

    /** The JSON value stored under `key` (parsed), undefined when none; throws SyntaxError on a row that is not JSON. */
    state: (key: string): unknown => {
      const r = getState.get(key) as { value: string } | undefined;
      return r ? (JSON.parse(r.value) as unknown) : undefined;
    },
    saveState(key: string, value: unknown, now: number): void {
      putState.run(key, JSON.stringify(value), now);
    },
  };
}
export type TiersRepository = ReturnType<typeof createTiersRepository>;
