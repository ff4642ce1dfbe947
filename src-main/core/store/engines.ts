// The engines repository: the `engines` table, the engines a user added (the local engine is
// implicit and never stored). `config` holds the validated EngineAdd as JSON (paths, host, port,
// ssh user: no secrets).
import { engineAddSchema, type EngineAdd } from '@shared/contract';
import type { Db } from './db';

/** A stored engine; `problem` (one sentence) instead of `spec` when its config no longer reads as an EngineAdd. */
export type StoredEngine = { id: string; name: string; createdAt: number } & ({ spec: EngineAdd } | { problem: string });

export function createEngineRepository(db: Db) {
  const all = db.prepare('SELECT id, name, config, created_at AS createdAt FROM engines ORDER BY created_at, id');
  const insert = db.prepare('INSERT INTO engines (id, name, kind, config, created_at) VALUES (?, ?, ?, ?, ?)');
  const del = db.prepare('DELETE FROM engines WHERE id = ?');

  return {
    /** Every stored engine, oldest first, each config checked against the contract's engineAddSchema. */
    list(): StoredEngine[] {
      return (all.all() as { id: string; name: string; config: string; createdAt: number }[]).map((r) => {
        const base = { id: r.id, name: r.name, createdAt: r.createdAt };
        let raw: unknown;
        try {
          raw = JSON.parse(r.config);
        } catch (e) {
          return { ...base, problem: `engine ${r.name}: its stored settings are not valid JSON (${(e as Error).message})` };
        }
        const parsed = engineAddSchema.safeParse(raw);
        if (parsed.success) return { ...base, spec: parsed.data };
        return { ...base, problem: `engine ${r.name}: its stored settings are invalid (${parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ')})` };
      });
    },
    /** Stores an added engine; `createdAt` ms since epoch. Throws (SQLite UNIQUE) for an id or name already stored. */
    add(id: string, spec: EngineAdd, createdAt: number): void {
      insert.run(id, spec.name, spec.kind, JSON.stringify(spec), createdAt);
    },
    /** Forgets an engine; true when it was stored. */
    remove(id: string): boolean {
      return del.run(id).changes > 0;
    },
  };
}
export type EngineRepository = ReturnType<typeof createEngineRepository>;
