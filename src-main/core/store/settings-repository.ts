// The settings repository: the `settings` table, one row a key with its value as JSON. Which keys
// exist and what a value must be is the settings store's business (settings.ts), not this table's.
import type { Db } from './db';

export interface SettingRow {
  key: string;
  /** The stored JSON text, as written (it may no longer parse: the settings store reports that). */
  value: string;
}

export function createSettingsRepository(db: Db) {
  const all = db.prepare('SELECT key, value FROM settings ORDER BY key');
  const upsert = db.prepare(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  );
  const save = db.transaction((entries: [string, unknown][], updatedAt: number) => {
    for (const [key, value] of entries) upsert.run(key, JSON.stringify(value), updatedAt);
  });

  return {
    /** Every stored row, by key. */
    all: (): SettingRow[] => all.all() as SettingRow[],
    /** Writes each [key, value] (value stored as JSON) in one transaction; `updatedAt` ms since epoch. */
    save(entries: [string, unknown][], updatedAt: number): void {
      save(entries, updatedAt);
    },
  };
}
export type SettingsRepository = ReturnType<typeof createSettingsRepository>;
