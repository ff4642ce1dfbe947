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
  ts?: number;
}

export interface StoredEvent extends Omit<EventRecord, 'ports' | 'details'> {
  id: number;
  ts: number;
  ports: unknown;
  details: unknown;
}

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));
const unjson = (s: string | null) => (s === null ? null : (JSON.parse(s) as unknown));

/** The `events` table: the app's journal of what it did and what went wrong. */
export function createEventLog(db: Db) {
  const insert = db.prepare(
    `INSERT INTO events (ts, type, container_id, container, image, engine, ports, actor, outcome, error, details)
     VALUES (@ts, @type, @containerId, @container, @image, @engine, @ports, @actor, @outcome, @error, @details)`,
  );
  return {
    record(e: EventRecord): number {
      return Number(
        insert.run({
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
        }).lastInsertRowid,
      );
    },
    recent(limit = 100): StoredEvent[] {
      const rows = db
        .prepare(
          `SELECT id, ts, type, container_id AS containerId, container, image, engine, ports, actor, outcome, error, details
           FROM events ORDER BY ts DESC, id DESC LIMIT ?`,
        )
        .all(limit) as (StoredEvent & { ports: string | null; details: string | null })[];
      return rows.map((r) => ({ ...r, ports: unjson(r.ports), details: unjson(r.details) }));
    },
  };
}
export type EventLog = ReturnType<typeof createEventLog>;
