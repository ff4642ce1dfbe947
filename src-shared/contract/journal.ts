import { z } from 'zod';
import { request } from './define';

/**
 * Who made a container operation happen, recorded on every journal row of the lifecycle gate: a
 * person in the app or the browser (`user`), the `mlenv` command (`cli`), a one-click launch from
 * the catalog, the reconciler of desired state, the tier manager, or MLEnv's own restart policy
 * (Docker's restart policy acts without us: its restarts are `docker` rows).
 */
export const ACTORS = ['user', 'cli', 'one-click', 'reconciler', 'tier-manager', 'restart-policy'] as const;
export type Actor = (typeof ACTORS)[number];

/** Who wrote a journal row: an Actor, the app on its own (sampling, health, retention), or the engine (its /events stream). */
export const JOURNAL_ACTORS = ['app', 'docker', ...ACTORS] as const;
export type JournalActor = (typeof JOURNAL_ACTORS)[number];

/** One `events` row as the Events page shows it. */
export interface JournalEvent {
  id: number;
  /** First occurrence, ms since epoch. */
  ts: number;
  /** Identical failures folded into this row (1 for most rows). */
  count: number;
  /** Latest occurrence, ms since epoch (= ts while count is 1). */
  lastTs: number;
  type: string;
  containerId: string | null;
  container: string | null;
  image: string | null;
  /** The engine's id ('local' for the local engine). */
  engine: string | null;
  /** The engine's name when the row was written (kept in details.engineName), for display. */
  engineName: string | null;
  ports: unknown;
  actor: JournalActor;
  outcome: string;
  error: string | null;
  details: unknown;
}

export const journalQuerySchema = z
  .object({
    /** Prefix of the type, e.g. "container." or "docker.die". */
    type: z.string().max(64).optional(),
    /** Container id (prefix) or name. */
    container: z.string().max(128).optional(),
    outcome: z.enum(['ok', 'error']).optional(),
    actor: z.enum(JOURNAL_ACTORS).optional(),
    since: z.number().int().optional(),
    until: z.number().int().optional(),
    /** Free text within the type, names, image and error. */
    search: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(5000).default(200),
  })
  .strict();

export const journalRequests = {
  'events.list': request(journalQuerySchema).returns<JournalEvent[]>(),
};
