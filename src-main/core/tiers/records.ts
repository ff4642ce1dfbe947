// Every move is recorded twice: a scaling_events row (the Tiers page's history) and an events row
// (the journal every other operation writes to).
import type { JournalActor, MoveTrigger, ScalingEventType, Tier, TierJob } from '@shared/contract';
import type { EventLog } from '../store/events';
import type { ScalingEventRecord, TiersRepository } from '../store/tiers';

const RANK: Record<Tier, number> = { hot: 0, warm: 1, swap: 2, cold: 3 };

/** True when `to` is hotter than `from` (nearer to answering). */
export const isPromotion = (from: Tier, to: Tier): boolean => RANK[to] < RANK[from];

/**
 * The scaling event type of a finished job: scale_cancelled for a job that never ran (its plan was
 * given up, e.g. an eviction before it failed); manual_scale for a person's move (app, browser or
 * CLI); auto_scale_triggered for the optimiser's and idle demotion's; otherwise (ensure, hot-load)
 * scale_up for a move to a hotter tier and scale_down for one to a colder tier.
 */
export function scalingEventType(job: Pick<TierJob, 'trigger' | 'from' | 'to'>, cancelled: boolean): ScalingEventType {
  if (cancelled) return 'scale_cancelled';
  if (job.trigger === 'user' || job.trigger === 'cli') return 'manual_scale';
  if (job.trigger === 'optimiser' || job.trigger === 'idle') return 'auto_scale_triggered';
  return isPromotion(job.from, job.to) ? 'scale_up' : 'scale_down';
}

/** The journal's actor for a move with this trigger: the person's for manual moves, else the tier manager. */
export const journalActor = (trigger: MoveTrigger): JournalActor => (trigger === 'user' || trigger === 'cli' ? trigger : 'tier-manager');

/** Writes the scaling event and the journal row of finished job `job`. */
export function recordMove(
  to: { repo: Pick<TiersRepository, 'addScalingEvent'>; events: Pick<EventLog, 'record'> },
  job: TierJob,
  container: { id: string | null; name: string; image: string },
  cancelled: boolean,
): void {
  const success = job.state === 'done';
  const row: ScalingEventRecord = {
    type: scalingEventType(job, cancelled),
    model: job.model,
    fromTier: job.from,
    toTier: job.to,
    memoryBeforeBytes: job.memoryBeforeBytes,
    memoryAfterBytes: job.memoryAfterBytes,
    reason: job.reason,
    trigger: job.trigger,
    jobId: job.id,
    startedAt: job.startedAt ?? job.createdAt,
    finishedAt: job.finishedAt,
    durationMs: job.actualMs,
    success,
    error: job.error,
  };
  to.repo.addScalingEvent(row);
  to.events.record({
    type: 'tier.move',
    ts: job.finishedAt ?? undefined,
    containerId: container.id ?? undefined,
    container: container.name,
    image: container.image,
    engine: 'local',
    actor: journalActor(job.trigger),
    outcome: success ? 'ok' : 'error',
    error: job.error ?? undefined,
    details: {
      model: job.model,
      from: job.from,
      to: job.to,
      state: job.state,
      jobId: job.id,
      trigger: job.trigger,
      reason: job.reason,
      durationMs: job.actualMs,
      memoryBeforeBytes: job.memoryBeforeBytes,
      memoryAfterBytes: job.memoryAfterBytes,
      verification: job.verification,
      scalingEvent: row.type,
    },
  });
}
