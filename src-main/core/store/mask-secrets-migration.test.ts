// Migration 6: databases written before env values were masked kept NGC_API_KEY & co. in
// container_instances.spec, and `request.failed` rows quoted a refused env entry whole. Opening such a
// database masks both, and the old bytes do not stay behind in the file.
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MASKED_VALUE } from '@shared/secret-env';
import { tmpDataDir } from '../../test-support';
import { DB_FILE, openDatabase, SCHEMA_VERSION } from './db';
import { MIGRATIONS } from './migrations';
import { maskEnvMessage, maskLaunchSpecJson } from './migrations/sql-functions';

const KEY = 'nvapi-OLDSECRET-0123456789abcdefghijklmnopqrstuvwxyz';
const TOKEN = 'hf_OLDTOKENabcdefghijklmnopqrstuvwx';

describe('migration 6: secrets kept before masking', () => {
  it('masks secret env values in stored launch specs and env entries in old journal rows', () => {
    const dir = tmpDataDir();
    const file = path.join(dir, DB_FILE);
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    for (const m of MIGRATIONS.filter((x) => x.version <= 5)) old.exec(m.sql);
    old.pragma('user_version = 5');
    const spec = { image: 'nvcr.io/nvidia/pytorch:25.12-py3', project: 'default', env: [{ key: 'NGC_API_KEY', value: KEY }, { key: 'KEYBOARD', value: 'us' }, { key: 'HF_TOKEN', value: TOKEN }] };
    old.prepare('INSERT INTO container_instances (id, engine, name, image, project, spec, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run('c1', 'local', 'a', spec.image, 'default', JSON.stringify(spec), 1);
    old.prepare('INSERT INTO container_instances (id, engine, name, image, project, spec, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run('c2', 'local', 'b', 'busybox', 'default', '{}', 1);
    const message = `INVALID_INPUT: containers.launch: env.0: "NGC_API_KEY=${KEY}" is not an environment variable: use NAME=value, where NAME has letters, digits and _ and does not start with a digit; env.2: "1X=${TOKEN}" is not an environment variable: use NAME=value; env.3: "${TOKEN}" is not an environment variable: use NAME=value`;
    old.prepare("INSERT INTO events (ts, type, outcome, error) VALUES (1, 'request.failed', 'error', ?)").run(message);
    old.prepare("INSERT INTO events (ts, type, outcome, error) VALUES (2, 'request.failed', 'error', 'INVALID_INPUT: containers.launch: memory: \"lots\" is not a size')").run();
    old.close();

    const db = openDatabase(dir);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const rows = db.prepare('SELECT id, spec FROM container_instances ORDER BY id').all() as { id: string; spec: string }[];
    expect(JSON.parse(rows[0]!.spec)).toEqual({ ...spec, env: [{ key: 'NGC_API_KEY', value: MASKED_VALUE }, { key: 'KEYBOARD', value: 'us' }, { key: 'HF_TOKEN', value: MASKED_VALUE }] });
    expect(rows[1]!.spec).toBe('{}');
    const errors = (db.prepare("SELECT error FROM events WHERE type = 'request.failed' ORDER BY ts").all() as { error: string }[]).map((r) => r.error);
    expect(errors).toEqual([
      `INVALID_INPUT: containers.launch: env.0: "NGC_API_KEY=…" is not an environment variable: use NAME=value, where NAME has letters, digits and _ and does not start with a digit; env.2: "1X=…" is not an environment variable: use NAME=value; env.3: an entry of ${TOKEN.length} characters without "=" (not shown, in case it is a secret) is not an environment variable: use NAME=value`,
      'INVALID_INPUT: containers.launch: memory: "lots" is not a size',
    ]);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const bytes = readFileSync(file);
    expect(bytes.includes(KEY)).toBe(false);
    expect(bytes.includes(TOKEN)).toBe(false);
  });

  it('leaves what is not a launch spec with env as it was', () => {
    expect(maskLaunchSpecJson('not json')).toBe('not json');
    expect(maskLaunchSpecJson('null')).toBe('null');
    expect(maskLaunchSpecJson('{"env":"x"}')).toBe('{"env":"x"}');
    expect(maskEnvMessage('INVALID_INPUT: x: y')).toBe('INVALID_INPUT: x: y');
  });
});
