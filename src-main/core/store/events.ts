// The events repository: the `events` table, the app's journal of what it did and what went wrong.
// Every statement on that table is here: journaling (with failures folded), the Events page's query,
// the questions services ask of the journal, and the retention's deletes.
import type { JournalActor, JournalEvent } from '@shared/contract';
import type { journalQuerySchema } from '@shared/contract/journal';
import type { z } from 'zod';
import type { Db } from './db';

export interface EventRecord {
  type: string;
  containerId?: string | null;
  container?: string | null;
  image?: string | null;
  /** The engine's id (engines.id; 'local' for the local engine), never its name. */
  engine?: string | null;
  /** The engine's name as the user knows it, kept for display in `details.engineName` (a name can change or be reused; the id is what rows are matched on). */
  engineName?: string | null;
  ports?: unknown;
  /** Who acted (JournalActor); default 'app'. */
  actor?: JournalActor;
  outcome?: 'ok' | 'error';
  error?: string | null;
  details?: unknown;
  /** ms since epoch; default the clock. */
  ts?: number;
}

/** A journal row as read back: the contract's JournalEvent (engineName read from details). */
export type StoredEvent = JournalEvent;

export interface EventLogOptions {
  /**
   * Identical failures (same type, actor, engine, container, image, error text and details) whose
   * first row began at most this long before (ms) are counted on that row instead of adding one.
   * Default 60 s; 0 turns coalescing off.
   */
  coalesceMs?: number;
}

/** The Events page's filters (contract `events.list`). */
export type JournalQuery = z.output<typeof journalQuerySchema>;

/** Journal rows a container was stopped by: a Docker kill or stop, or an MLEnv stop or remove. */
const STOP_TYPES = ['docker.kill', 'docker.stop', 'container.stop', 'container.remove'] as const;

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));
const unjson = (s: string | null) => (s === null ? null : (JSON.parse(s) as unknown));
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `details` as stored: with the engine's name added as `engineName` (read back as JournalEvent.engineName,
 * shown on the Events page). Details that are not an object (none are written so) are kept as they are,
 * without the name. Migration 007 wrote the names of older rows the same way.
 */
export function detailsWithEngineName(details: unknown, engineName: string | null | undefined): unknown {
  if (!engineName) return details;
  if (details === undefined || details === null) return { engineName };
  return isPlainObject(details) ? { ...details, engineName } : details;
}

/** The EventRecord fields that name an engine: its id in the column, its name for display. */
export const onEngine = (engine: { id: string; name: string }): Pick<EventRecord, 'engine' | 'engineName'> => ({ engine: engine.id, engineName: engine.name });

const SELECT_ROW = `SELECT id, ts, type, container_id AS containerId, container, image, engine, ports, actor, outcome, error, details,
                           count, coalesce(last_ts, ts) AS lastTs FROM events`;
type Row = Omit<JournalEvent, 'ports' | 'details' | 'engineName'> & { ports: string | null; details: string | null };
/** A row as read back: the engine's name lifted out of `details` again (details as they were recorded). */
const toJournalEvent = (r: Row): JournalEvent => {
  const stored = unjson(r.details);
  if (!isPlainObject(stored) || typeof stored.engineName !== 'string') return { ...r, ports: unjson(r.ports), details: stored, engineName: null };
  const { engineName, ...rest } = stored;
  return { ...r, ports: unjson(r.ports), details: Object.keys(rest).length ? rest : null, engineName };
};
/** `text` as a LIKE prefix with its wildcards escaped (ESCAPE '\'). */
const likePrefix = (text: string) => `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The events repository over `db`. A failure repeated by one caller (a client retrying a malformed
 * request, a tool dying in a loop) is one row with a `count` and `last_ts` per window, so the journal
 * cannot be flooded by it; successes are never folded (each start, stop and pull is its own row).
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
  const recentRows = db.prepare(`${SELECT_ROW} ORDER BY ts DESC, id DESC LIMIT ?`);
  // Through the events_container (container_id, ts) index.
  const stopSince = db.prepare(`SELECT 1 FROM events WHERE container_id = ? AND ts >= ? AND type IN (${STOP_TYPES.map(() => '?').join(', ')}) LIMIT 1`);
  const deleteOlder = db.prepare('DELETE FROM events WHERE id IN (SELECT id FROM events WHERE ts < ? ORDER BY ts LIMIT ?)');
  const countRows = db.prepare('SELECT COUNT(*) AS n FROM events');
  const deleteOldestRows = db.prepare('DELETE FROM events WHERE id IN (SELECT id FROM events ORDER BY ts, id LIMIT ?)');

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
        details: json(detailsWithEngineName(e.details, e.engineName)),
      };
      if (row.outcome === 'error' && coalesceMs > 0) return recordError.immediate(row);
      return Number(insert.run(row).lastInsertRowid);
    },
    /** The newest `limit` rows, newest first. */
    recent(limit = 100): StoredEvent[] {
      return (recentRows.all(limit) as Row[]).map(toJournalEvent);
    },
    /**
     * The Events page's query, newest first: `type` a prefix, `container` an id prefix or a name,
     * `since` / `until` ms since epoch ([since, until)), `search` free text within type, names,
     * image and error (case-insensitive). Each filter is a WHERE clause on an indexed column.
     */
    query(q: JournalQuery): JournalEvent[] {
      const where: string[] = [];
      const args: Record<string, unknown> = { limit: q.limit };
      if (q.type) {
        where.push(`type LIKE @type ESCAPE '\\'`);
        args.type = likePrefix(q.type);
      }
      if (q.container) {
        where.push(`(container_id LIKE @cid ESCAPE '\\' OR container = @cname)`);
        args.cid = likePrefix(q.container);
        args.cname = q.container;
      }
      if (q.outcome) {
        where.push('outcome = @outcome');
        args.outcome = q.outcome;
      }
      if (q.actor) {
        where.push('actor = @actor');
        args.actor = q.actor;
      }
      if (q.since !== undefined) {
        where.push('ts >= @since');
        args.since = q.since;
      }
      if (q.until !== undefined) {
        where.push('ts < @until');
        args.until = q.until;
      }
      if (q.search) {
        where.push(`(instr(lower(type), @s) OR instr(lower(coalesce(container, '')), @s) OR instr(lower(coalesce(image, '')), @s) OR instr(lower(coalesce(error, '')), @s))`);
        args.s = q.search.toLowerCase();
      }
      const sql = `${SELECT_ROW} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ts DESC, id DESC LIMIT @limit`;
      return (db.prepare(sql).all(args) as Row[]).map(toJournalEvent);
    },
    /**
     * True when the journal has the container stopped on purpose at or after `since` (ms since epoch):
     * a Docker kill or stop event, or an MLEnv stop or remove. Health calls such an exit "stopped",
     * not a failure.
     */
    stoppedOnPurposeSince(containerId: string, since: number): boolean {
      return stopSince.get(containerId, since, ...STOP_TYPES) !== undefined;
    },
    /** Deletes at most `limit` rows older than `before` (ms since epoch), oldest first; returns how many. */
    deleteOlderThan(before: number, limit: number): number {
      return deleteOlder.run(before, limit).changes;
    },
    /** Rows in the journal. */
    count(): number {
      return (countRows.get() as { n: number }).n;
    },
    /** Deletes the `limit` oldest rows; returns how many. */
    deleteOldest(limit: number): number {
      return deleteOldestRows.run(limit).changes;
    },
  };
}
export type EventLog = ReturnType<typeof createEventLog>;

/**
 * The journal of a core that only reads (the read-only CLI commands): the same reads, and `record`
 * writes nothing (returns 0), so judging, sampling or an engine seen connected leaves no row.
 */
export function discardingJournal(journal: EventLog): EventLog {
  return { ...journal, record: () => 0 };
}
