// Migrations 7 and 8 on a database as version 6 wrote it. 7: `events.engine` held the engine's name
// ("Local", "gpu-box") where every other table holds its id; after it, the id, with the name in
// details.engineName (an engine since removed: no id to find, the name kept for display). 8:
// container_instances learns the state the user last asked for, from the journal.
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmpDataDir } from '../../test-support';
import { DB_FILE, openDatabase, SCHEMA_VERSION } from './db';
import { createEventLog } from './events';
import { MIGRATIONS } from './migrations';
import { detailsJsonWithEngineName, registerMigrationFunctions } from './migrations/sql-functions';
import { createRepositories } from './repositories';

/** A data folder holding a version-6 database; `fill` writes rows as the version-6 app did. */
function version6(fill: (db: Database.Database) => void): string {
  const dir = tmpDataDir();
  const old = new Database(path.join(dir, DB_FILE));
  registerMigrationFunctions(old);
  for (const m of MIGRATIONS.filter((x) => x.version <= 6)) old.exec(m.sql);
  old.pragma('user_version = 6');
  fill(old);
  old.close();
  return dir;
}

describe('migration 7: one engine identifier in events', () => {
  it('turns engine names into ids, keeps each name in details, and leaves ids and engine-less rows alone', () => {
    const dir = version6((old) => {
      const engine = old.prepare('INSERT INTO engines (id, name, kind, config, created_at) VALUES (?, ?, ?, ?, 1)');
      engine.run('a1b2c3d4', 'gpu-box', 'tcp', JSON.stringify({ kind: 'tcp', name: 'gpu-box', host: '10.0.0.5', port: 2375 }));
      engine.run('e5f6a7b8', 'local', 'unix', JSON.stringify({ kind: 'unix', name: 'local', socketPath: '/run/user/1000/docker.sock' })); // a user's engine named "local"
      engine.run('0badc0de', 'torn', 'tcp', '{');
      const ev = old.prepare('INSERT INTO events (ts, type, engine, details) VALUES (?, ?, ?, ?)');
      ev.run(1, 'engine.connected', 'Local', JSON.stringify({ host: 'unix:///var/run/docker.sock' }));
      ev.run(2, 'docker.die', 'Local', JSON.stringify({ exitCode: 2 }));
      ev.run(3, 'image.pull', 'gpu-box', null);
      ev.run(4, 'engine.connected', 'local', null); // written by the user's engine named "local"
      ev.run(5, 'engine.invalid', '0badc0de', null); // named by its id already
      ev.run(6, 'engine.removed', 'old-box', null); // an engine removed since: its id is gone
      ev.run(7, 'settings.invalid', null, JSON.stringify({ key: 'x' }));
    });
    const db = openDatabase(dir);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    // (opening also journals the file modes it narrowed, at the clock's time: not a row of this test)
    expect(db.prepare('SELECT ts, engine, details FROM events WHERE ts < 100 ORDER BY ts').all()).toEqual([
      { ts: 1, engine: 'local', details: JSON.stringify({ host: 'unix:///var/run/docker.sock', engineName: 'Local' }) },
      { ts: 2, engine: 'local', details: JSON.stringify({ exitCode: 2, engineName: 'Local' }) },
      { ts: 3, engine: 'a1b2c3d4', details: JSON.stringify({ engineName: 'gpu-box' }) },
      { ts: 4, engine: 'e5f6a7b8', details: JSON.stringify({ engineName: 'local' }) },
      { ts: 5, engine: '0badc0de', details: JSON.stringify({ engineName: 'torn' }) },
      { ts: 6, engine: null, details: JSON.stringify({ engineName: 'old-box' }) },
      { ts: 7, engine: null, details: JSON.stringify({ key: 'x' }) },
    ]);
    // read back as the Events page gets them: the id, the name beside it, details as they were
    const rows = createEventLog(db).query({ limit: 10, until: 100 }).reverse();
    expect(rows.map((r) => [r.engine, r.engineName, r.details])).toEqual([
      ['local', 'Local', { host: 'unix:///var/run/docker.sock' }],
      ['local', 'Local', { exitCode: 2 }],
      ['a1b2c3d4', 'gpu-box', null],
      ['e5f6a7b8', 'local', null],
      ['0badc0de', 'torn', null],
      [null, 'old-box', null],
      [null, null, { key: 'x' }],
    ]);
    db.close();
  });

  it('adds the name as the events repository does; details that are not a JSON object are kept as they were', () => {
    expect(detailsJsonWithEngineName(null, 'Local')).toBe('{"engineName":"Local"}');
    expect(detailsJsonWithEngineName('{"a":1}', 'Local')).toBe('{"a":1,"engineName":"Local"}');
    expect(detailsJsonWithEngineName('[1,2]', 'Local')).toBe('[1,2]');
    expect(detailsJsonWithEngineName('not json', 'Local')).toBe('not json');
    expect(detailsJsonWithEngineName('{"a":1}', null)).toBe('{"a":1}');
  });
});

describe('migration 8: the state the user asked for', () => {
  it('takes each container\'s newest successful launch, start, restart, stop, pause or unpause from the journal', () => {
    const dir = version6((old) => {
      const c = old.prepare("INSERT INTO container_instances (id, engine, name, image, project, spec, created_at, removed_at) VALUES (?, 'local', ?, 'busybox', ?, '{}', 1, ?)");
      const ev = old.prepare("INSERT INTO events (ts, type, container_id, outcome, details) VALUES (?, ?, ?, ?, ?)");
      c.run('run', 'run', 'vision', null);
      ev.run(1, 'container.launch', 'run', 'ok', JSON.stringify({ state: 'running' }));
      c.run('stopped', 'stopped', 'vision', null);
      ev.run(1, 'container.launch', 'stopped', 'ok', JSON.stringify({ state: 'running' }));
      ev.run(2, 'container.stop', 'stopped', 'ok', null);
      ev.run(3, 'container.start', 'stopped', 'error', null); // a failed start asked for nothing new
      ev.run(4, 'docker.start', 'stopped', 'ok', null); // nor did Docker's own restart policy
      c.run('created', 'created', 'llm', null);
      ev.run(1, 'container.launch', 'created', 'ok', JSON.stringify({ state: 'created' }));
      c.run('paused', 'paused', 'llm', null);
      ev.run(1, 'container.launch', 'paused', 'ok', JSON.stringify({ state: 'running' }));
      ev.run(2, 'container.pause', 'paused', 'ok', null);
      c.run('unpaused', 'unpaused', 'llm', null);
      ev.run(1, 'container.pause', 'unpaused', 'ok', null);
      ev.run(2, 'container.unpause', 'unpaused', 'ok', null);
      c.run('unknown', 'unknown', 'llm', null); // the journal kept nothing of it
      c.run('gone', 'gone', 'llm', 5);
      ev.run(1, 'container.launch', 'gone', 'ok', JSON.stringify({ state: 'running' }));
    });
    const db = openDatabase(dir);
    const containers = createRepositories(db).containers;
    const desired = (f: Parameters<typeof containers.list>[0]) => containers.list(f).map((c) => [c.id, c.desiredState]);
    expect(desired({ includeRemoved: true })).toEqual([
      ['created', 'stopped'],
      ['gone', null],
      ['paused', 'paused'],
      ['run', 'running'],
      ['stopped', 'stopped'],
      ['unknown', null],
      ['unpaused', 'running'],
    ]);
    expect(desired({ project: 'llm', desiredState: 'running' })).toEqual([['unpaused', 'running']]);
    db.close();
  });
});
