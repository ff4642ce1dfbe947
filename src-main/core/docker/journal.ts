// The Events page's query over the `events` table: filters become WHERE clauses on indexed columns.
import type { JournalEvent } from '@shared/contract';
import type { z } from 'zod';
import type { journalQuerySchema } from '@shared/contract/journal';
import type { Db } from '../store/db';

type Query = z.output<typeof journalQuerySchema>;

export function queryJournal(db: Db, q: Query): JournalEvent[] {
  const where: string[] = [];
  const args: Record<string, unknown> = { limit: q.limit };
  if (q.type) {
    where.push(`type LIKE @type ESCAPE '\\'`);
    args.type = `${q.type.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  }
  if (q.container) {
    where.push(`(container_id LIKE @cid ESCAPE '\\' OR container = @cname)`);
    args.cid = `${q.container.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
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
  const rows = db
    .prepare(
      `SELECT id, ts, type, container_id AS containerId, container, image, engine, ports, actor, outcome, error, details,
              count, coalesce(last_ts, ts) AS lastTs
       FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ts DESC, id DESC LIMIT @limit`,
    )
    .all(args) as (Omit<JournalEvent, 'ports' | 'details'> & { ports: string | null; details: string | null })[];
  const unjson = (s: string | null) => (s === null ? null : (JSON.parse(s) as unknown));
  return rows.map((r) => ({ ...r, ports: unjson(r.ports), details: unjson(r.details) }));
}
