import type { Db } from './db';

export interface EventRecord {
  type: string;
  containerId?: string | null;
  container?: string | null;
  image?: string | null;
  engine?: string | null;
  ports?: unknown;
  actor?: 'app' | 'user' | 'docker';
  outcome?: 'ok' | 'error';
  error?: string | null;
  details?: unknown;
  /** ms since epoch; default the clock. */
  ts?: number;
}

export interface StoredEvent extends Omit<EventRecord, 'ports' | 'details'> {
  id: number;
  /** First occurrence, ms since epoch. */
  ts: number;
  /** Occurrences folded into this row (1 for most rows). */
  count: number;
  /** Latest occurrence, ms since epoch (= ts while count is 1). */
  lastTs: number;
  ports: unknown;
  details: unknown;
}

export interface EventLogOptions {
  /**
   * Identical failures (same type, actor, engine, container, image, error text and details) whose
   * first row began at most this long before (ms) are counted on that row instead of adding one.
   * Default 60 s; 0 turns coalescing off.
   */
  coalesceMs?: number;
}

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));
const unjson = (s: string | null) => (s === null ? null : (JSON.parse(s) as unknown));

/**
 * The `events` table: the app's journal of what it did and what went wrong. A failure repeated by
 * one caller (a client retrying a malformed request, a tool dying in a loop) is one row with a
 * `count` and `last_ts` per window, so the journal cannot be flooded by it; successes are never
 * folded (each start, stop and pull is its own row).
 */
export function createEventLog(db: Db, opts: EventLogOptions = {}) {
  const coalesceMs = opts.coalesceMs ?? 60_000;
  const insert = db.prepare(
    `INSERT INTO events (ts, type, container_id, container, image, engine, ports, actor, outcome, error, details)
     VALUES (@ts, @type, @containerId, @container, @image, @engine, @ports, @actor, @outcome, @error, @details)`,
  );
  // `outcome = 'error'` spelled out so SQLite uses the partial index events_errors (type, ts).
  const findSame = db.prepare(
    `SELECT id FROM events
     WHERE outcome = 'error' AND type = @type AND ts > @since AND ts <= @ts
       AND actor = @actor AND error IS @error AND engine IS @engine AND container_id IS @containerId
       AND container IS @container AND image IS @image AND details IS @details
     ORDER BY ts DESC LIMIT 1`,
  );
  const bump = db.prepare('UPDATE events SET count = count + 1, last_ts = max(coalesce(last_ts, ts), @ts) WHERE id = @id');
  const recordError = db.transaction((row: Record<string, unknown>): number => {
    const same = findSame.get({ ...row, since: (row.ts as number) - coalesceMs }) as { id: number } | undefined;
    if (same) {
      bump.run({ id: same.id, ts: row.ts });
      return same.id;
    }
    return Number(insert.run(row).lastInsertRowid);
  });

  return {
    /** Journals one event; returns its row id (the existing row's when a failure was folded into it). */
    record(e: EventRecord): number {
      const row = {
        ts: e.ts ?? Date.now(),
        type: e.type,
        containerId: e.containerId ?? null,
        container: e.container ?? null,
        image: e.image ?? null,
        engine: e.engine ?? null,
        ports: json(e.ports),
        actor: e.actor ?? 'app',
        outcome: e.outcome ?? (e.error ? 'error' : 'ok'),
        error: e.error ?? null,
        details: json(e.details),
      };
      if (row.outcome === 'error' && coalesceMs > 0) return recordError.immediate(row);
      return Number(insert.run(row).lastInsertRowid);
    },
    recent(limit = 100): StoredEvent[] {
      const rows = db
        .prepare(
          `SELECT id, ts, type, container_id AS containerId, container, image, engine, ports, actor, outcome, error, details,
                  count, coalesce(last_ts, ts) AS lastTs
           FROM events ORDER BY ts DESC, id DESC LIMIT ?`,
        )
        .all(limit) as (StoredEvent & { ports: string | null; details: string | null })[];
      return rows.map((r) => ({ ...r, ports: unjson(r.ports), details: unjson(r.details) }));
    },
  };
}
export type EventLog = ReturnType<typeof createEventLog>;
