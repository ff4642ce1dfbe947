import { z } from 'zod';
import { request } from './define';

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
  engine: string | null;
  ports: unknown;
  actor: string;
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
    actor: z.enum(['app', 'user', 'docker']).optional(),
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
