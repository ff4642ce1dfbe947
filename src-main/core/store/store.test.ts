import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '@shared/contract';
import { tmpDataDir } from '../../test-support';
import { DB_FILE, integrityCheck, openDatabase } from './db';
import { createEventLog } from './events';
import { MIGRATIONS } from './migrations';
import { createSettingsStore } from './settings';
import { createSettingsRepository } from './settings-repository';

describe('store', () => {
  it('creates mlenv.db with WAL, foreign keys and every migration applied, idempotently', () => {
    const dir = tmpDataDir();
    openDatabase(dir).close();
    const db = openDatabase(dir); // a second open applies nothing new
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(integrityCheck(db)).toEqual(['ok']);
    db.close();
  });

  it('refuses a database from a newer version instead of corrupting it', () => {
    const dir = tmpDataDir();
    const raw = new Database(path.join(dir, DB_FILE));
    raw.pragma('user_version = 999');
    raw.close();
    expect(() => openDatabase(dir)).toThrow(/schema version 999 is newer/);
  });

  it('names the data folder it cannot use', () => {
    const file = path.join(tmpDataDir(), 'a-file');
    writeFileSync(file, 'not a folder');
    expect(() => openDatabase(path.join(file, 'data'))).toThrow(`cannot use data folder ${path.join(file, 'data')}: ENOTDIR`);
  });

  it('settings: defaults, validated updates that persist, a corrupt row reported and kept', () => {
    const dir = tmpDataDir();
    const db = openDatabase(dir);
    const events = createEventLog(db);
    const settings = createSettingsStore(createSettingsRepository(db), events);
    expect(settings.get()).toEqual(DEFAULT_SETTINGS);

    settings.update({ sampleIntervalMs: 2000, thresholds: { cpuWarnPercent: 70 } });
    expect(createSettingsStore(createSettingsRepository(db), events).get()).toMatchObject({ sampleIntervalMs: 2000, thresholds: { cpuWarnPercent: 70, cpuCriticalPercent: 95 } });
    expect(() => settings.update({ thresholds: { cpuWarnPercent: 99 } })).toThrow(/warning threshold must be below/);

    db.prepare("UPDATE settings SET value = '{not json' WHERE key = 'sampleIntervalMs'").run();
    const reloaded = createSettingsStore(createSettingsRepository(db), events).get();
    expect(reloaded.sampleIntervalMs).toBe(DEFAULT_SETTINGS.sampleIntervalMs);
    expect(reloaded.thresholds.cpuWarnPercent).toBe(70); // the other rows still count
    const [invalid] = events.recent(1);
    expect(invalid).toMatchObject({ type: 'settings.invalid', outcome: 'error' });
    expect(invalid!.error).toMatch(/setting "sampleIntervalMs" is unreadable \(not valid JSON/);
    // nothing lost: the row is still there for the user to see or repair
    expect(db.prepare("SELECT value FROM settings WHERE key = 'sampleIntervalMs'").get()).toEqual({ value: '{not json' });
    db.close();
  });
});
