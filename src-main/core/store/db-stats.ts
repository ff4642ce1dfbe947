// `mlenv db stats`: how big mlenv.db is and where the space goes — per table its rows, its size on
// disk (tables and their indexes, from SQLite's dbstat virtual table when it is compiled in) and the
// time span of what it holds.
import { statSync } from 'node:fs';
import type { Db } from './db';

export interface TableStats {
  name: string;
  rows: number;
  /** Bytes of the table and its indexes; null without dbstat. */
  bytes: number | null;
  /** Oldest and newest `ts` (ms since epoch) in tables that have one; null when empty or none. */
  oldest: number | null;
  newest: number | null;
}

export interface DbStats {
  file: string;
  /** Size of the database file and of its write-ahead log, in bytes. */
  bytes: number;
  walBytes: number;
  pageSize: number;
  pages: number;
  freePages: number;
  schemaVersion: number;
  /** 'dbstat': per-table sizes measured; 'pages': dbstat is not compiled in, only the page totals are known. */
  sizeSource: 'dbstat' | 'pages';
  tables: TableStats[];
}

const size = (file: string) => {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
};

/** Per-btree sizes from dbstat, summed per table; undefined when dbstat is not available. */
function tableBytes(db: Db): Map<string, number> | undefined {
  let rows: { name: string; bytes: number }[];
  try {
    rows = db.prepare('SELECT name, pgsize AS bytes FROM dbstat WHERE aggregate = TRUE').all() as typeof rows;
  } catch {
    return undefined; // "no such table: dbstat": built without SQLITE_ENABLE_DBSTAT_VTAB
  }
  const owner = new Map((db.prepare('SELECT name, tbl_name FROM sqlite_schema').all() as { name: string; tbl_name: string }[]).map((r) => [r.name, r.tbl_name]));
  const out = new Map<string, number>();
  for (const r of rows) {
    const table = owner.get(r.name) ?? r.name;
    out.set(table, (out.get(table) ?? 0) + r.bytes);
  }
  return out;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Time span of a table with a `ts` column; per series through the (series_id, ts) key for metrics tables. */
function span(db: Db, table: string, columns: Set<string>): { oldest: number | null; newest: number | null } {
  if (!columns.has('ts')) return { oldest: null, newest: null };
  const t = ident(table);
  let sql: string;
  if (columns.has('series_id') && table !== 'metric_series') {
    // MIN(ts) over a WITHOUT ROWID table keyed (series_id, ts) would read every row; one seek per series does not.
    sql = `SELECT MIN(lo) AS oldest, MAX(hi) AS newest FROM (SELECT (SELECT MIN(ts) FROM ${t} WHERE series_id = s.id) AS lo, (SELECT MAX(ts) FROM ${t} WHERE series_id = s.id) AS hi FROM metric_series AS s)`;
  } else if (columns.has('last_ts')) {
    sql = `SELECT MIN(ts) AS oldest, MAX(coalesce(last_ts, ts)) AS newest FROM ${t}`;
  } else {
    sql = `SELECT MIN(ts) AS oldest, MAX(ts) AS newest FROM ${t}`;
  }
  return db.prepare(sql).get() as { oldest: number | null; newest: number | null };
}

/** Sizes, row counts and time spans of the database open as `db`, stored in `file`. Reads only. */
export function dbStats(db: Db, file: string): DbStats {
  const bytes = tableBytes(db);
  const names = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  const tables = names.map((name): TableStats => {
    const columns = new Set((db.pragma(`table_info(${ident(name)})`) as { name: string }[]).map((c) => c.name));
    const rows = (db.prepare(`SELECT COUNT(*) AS n FROM ${ident(name)}`).get() as { n: number }).n;
    return { name, rows, bytes: bytes ? (bytes.get(name) ?? 0) : null, ...span(db, name, columns) };
  });
  return {
    file,
    bytes: size(file),
    walBytes: size(`${file}-wal`),
    pageSize: db.pragma('page_size', { simple: true }) as number,
    pages: db.pragma('page_count', { simple: true }) as number,
    freePages: db.pragma('freelist_count', { simple: true }) as number,
    schemaVersion: db.pragma('user_version', { simple: true }) as number,
    sizeSource: bytes ? 'dbstat' : 'pages',
    tables,
  };
}
