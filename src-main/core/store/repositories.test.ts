// The repositories under core/store on real SQLite files: what each writes, it reads back; the reads a
// reconciler and quotas need (containers by engine, project, desired state); the journal's questions.
// Every time is passed in, never read from the clock.
import { describe, expect, it } from 'vitest';
import { launchSchema, type EngineAdd } from '@shared/contract';
import { tmpDataDir } from '../../test-support';
import { openDatabase, type Db } from './db';
import { createEventLog, onEngine } from './events';
import { createRepositories } from './repositories';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const HOUR = 3_600_000;
const setup = () => {
  const db = openDatabase(tmpDataDir());
  return { db, events: createEventLog(db), repos: createRepositories(db) };
};
const id = (n: number) => n.toString(16).padStart(64, '0');
const launch = (over: Record<string, unknown> = {}) => launchSchema.parse({ image: 'nvcr.io/nvidia/pytorch:24.01-py3', ...over });

describe('containers repository (container_instances)', () => {
  const fill = (db: Db) => {
    const { containers } = createRepositories(db);
    const base = { name: 'x', image: 'busybox:latest', ports: [], createdAt: T0 };
    containers.recordLaunch({ ...base, id: id(1), engine: 'local', name: 'train-a', project: 'vision', spec: launch({ project: 'vision' }), desiredState: 'running' });
    containers.recordLaunch({ ...base, id: id(2), engine: 'local', name: 'train-b', project: 'vision', spec: launch({ project: 'vision', start: false }), desiredState: 'stopped', createdAt: T0 + 1 });
    containers.recordLaunch({ ...base, id: id(3), engine: 'a1b2c3d4', name: 'serve', project: 'llm', spec: launch({ project: 'llm' }), desiredState: 'running', createdAt: T0 + 2 });
    containers.recordStart({ ...base, id: id(4), engine: 'local', name: 'adopted', project: 'default', createdAt: T0 + 3 });
    return containers;
  };
  const names = (list: { name: string }[]) => list.map((c) => c.name);

  it('keeps a launch with its spec, project and ports, and reads it back whole', () => {
    const { db } = setup();
    const { containers } = createRepositories(db);
    const ports = [{ containerPort: 8888, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 49153 }];
    const spec = launch({ name: 'nb', project: 'vision', ports: ['8888'] });
    containers.recordLaunch({ id: id(9), engine: 'local', name: 'nb', image: spec.image, project: 'vision', spec, ports, createdAt: T0, desiredState: 'running' });
    expect(containers.get(id(9))).toEqual({ id: id(9), engine: 'local', name: 'nb', image: spec.image, project: 'vision', spec, ports, createdAt: T0, removedAt: null, desiredState: 'running' });
    expect(containers.get(id(10))).toBeUndefined();
  });

  it('a container started here but launched elsewhere has no spec; a start keeps the spec of one launched here', () => {
    const { db } = setup();
    const containers = fill(db);
    expect(containers.get(id(4))).toMatchObject({ name: 'adopted', spec: null, desiredState: 'running', project: 'default' });
    const ports = [{ containerPort: 80, protocol: 'tcp', hostPort: 8080 }];
    containers.recordStart({ id: id(2), engine: 'local', name: 'train-b', image: 'busybox:latest', project: 'vision', ports, createdAt: T0 + 1 });
    expect(containers.get(id(2))).toMatchObject({ spec: launch({ project: 'vision', start: false }), ports, desiredState: 'running' });
  });

  it('lists by engine, by project and by desired state (removed ones only on request), oldest first', () => {
    const { db } = setup();
    const containers = fill(db);
    expect(names(containers.list())).toEqual(['train-a', 'train-b', 'serve', 'adopted']);
    expect(names(containers.list({ engine: 'local' }))).toEqual(['train-a', 'train-b', 'adopted']);
    expect(names(containers.list({ project: 'vision' }))).toEqual(['train-a', 'train-b']);
    expect(names(containers.list({ engine: 'local', desiredState: 'running' }))).toEqual(['train-a', 'adopted']);
    expect(names(containers.list({ desiredState: 'stopped' }))).toEqual(['train-b']);

    expect(containers.setDesiredState(id(1), 'paused')).toBe(true);
    expect(containers.setDesiredState(id(99), 'stopped')).toBe(false);
    expect(names(containers.list({ desiredState: 'paused' }))).toEqual(['train-a']);

    expect(containers.markRemoved(id(1), T0 + HOUR)).toBe(true);
    expect(containers.markRemoved(id(1), T0 + 2 * HOUR)).toBe(false); // removed once: the first time stays
    expect(names(containers.list({ project: 'vision' }))).toEqual(['train-b']);
    expect(containers.list({ project: 'vision', includeRemoved: true }).map((c) => [c.name, c.removedAt])).toEqual([
      ['train-a', T0 + HOUR],
      ['train-b', null],
    ]);
  });

  it('the reads by engine and by project use their indexes', () => {
    const { db } = setup();
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((p) => p.detail).join(' ');
    expect(plan("SELECT id FROM container_instances WHERE engine = 'local' AND desired_state = 'running'")).toContain('container_instances_engine');
    expect(plan("SELECT id FROM container_instances WHERE project = 'vision'")).toContain('container_instances_project');
  });

  it('refuses a desired state outside running, stopped, paused', () => {
    const { db } = setup();
    const containers = fill(db);
    expect(() => containers.setDesiredState(id(1), 'exited' as never)).toThrow(/CHECK constraint failed/);
  });
});

describe('engines repository', () => {
  const tcp: EngineAdd = { kind: 'tcp', name: 'gpu-box', host: '10.0.0.5', port: 2376, tls: { ca: '/etc/docker/ca.pem', cert: '/etc/docker/cert.pem', key: '/etc/docker/key.pem' } };
  const unix: EngineAdd = { kind: 'unix', name: 'rootless', socketPath: '/run/user/1000/docker.sock' };

  it('adds, lists oldest first and removes', () => {
    const { repos } = setup();
    repos.engines.add('a1b2c3d4', tcp, T0);
    repos.engines.add('e5f6a7b8', unix, T0 + 1);
    expect(repos.engines.list()).toEqual([
      { id: 'a1b2c3d4', name: 'gpu-box', createdAt: T0, spec: tcp },
      { id: 'e5f6a7b8', name: 'rootless', createdAt: T0 + 1, spec: unix },
    ]);
    expect(repos.engines.remove('a1b2c3d4')).toBe(true);
    expect(repos.engines.remove('a1b2c3d4')).toBe(false);
    expect(repos.engines.list().map((e) => e.id)).toEqual(['e5f6a7b8']);
  });

  it('refuses a second engine of the same name', () => {
    const { repos } = setup();
    repos.engines.add('a1b2c3d4', tcp, T0);
    expect(() => repos.engines.add('e5f6a7b8', { ...unix, name: 'gpu-box' }, T0)).toThrow(/UNIQUE constraint failed: engines.name/);
  });

  it('a stored config that is not JSON, or no longer an EngineAdd, comes back as a problem in one sentence', () => {
    const { db, repos } = setup();
    const put = db.prepare('INSERT INTO engines (id, name, kind, config, created_at) VALUES (?, ?, ?, ?, ?)');
    put.run('bad1', 'torn', 'tcp', '{"kind":"tcp",', T0);
    put.run('bad2', 'old', 'tcp', JSON.stringify({ kind: 'tcp', name: 'old', host: '10.0.0.5', port: 99999 }), T0 + 1);
    const [torn, old] = repos.engines.list();
    expect(torn).toMatchObject({ id: 'bad1', name: 'torn', problem: expect.stringMatching(/^engine torn: its stored settings are not valid JSON \(/) });
    expect(old).toMatchObject({ id: 'bad2', name: 'old', problem: expect.stringMatching(/^engine old: its stored settings are invalid \(port: /) });
    expect(old).not.toHaveProperty('spec');
  });
});

describe('registry logins repository', () => {
  it('saves, replaces, lists by registry and forgets', () => {
    const { repos } = setup();
    const logins = repos.registryLogins;
    logins.save({ registry: 'nvcr.io', username: '$oauthtoken', updatedAt: T0 });
    logins.save({ registry: '127.0.0.1:5000', username: 'ci', updatedAt: T0 + 1 });
    logins.save({ registry: 'nvcr.io', username: 'someone', updatedAt: T0 + 2 });
    expect(logins.list()).toEqual([
      { registry: '127.0.0.1:5000', username: 'ci', updatedAt: T0 + 1 },
      { registry: 'nvcr.io', username: 'someone', updatedAt: T0 + 2 },
    ]);
    expect(logins.get('nvcr.io')).toEqual({ registry: 'nvcr.io', username: 'someone', updatedAt: T0 + 2 });
    expect(logins.get('docker.io')).toBeUndefined();
    expect(logins.remove('nvcr.io')).toBe(true);
    expect(logins.remove('nvcr.io')).toBe(false);
    expect(logins.list().map((l) => l.registry)).toEqual(['127.0.0.1:5000']);
  });
});

describe('health snapshots repository', () => {
  it('stores a round of snapshots, trims what is past the retention in the same step, and reads a history back', () => {
    const { repos } = setup();
    const snap = (containerId: string, state: 'healthy' | 'critical', reasons: string[] = []) => ({ containerId, state, reasons, cpuPercent: 12.5, memoryPercent: null });
    expect(repos.healthSnapshots.save(T0, [snap('c1', 'healthy'), snap('c2', 'healthy')], T0 - 7 * 24 * HOUR)).toBe(0);
    expect(repos.healthSnapshots.save(T0 + HOUR, [snap('c1', 'critical', ['memory at 98 % of its limit'])], T0 - 7 * 24 * HOUR)).toBe(0);
    expect(repos.healthSnapshots.history('c1', T0)).toEqual([
      { ts: T0, state: 'healthy', reasons: [] },
      { ts: T0 + HOUR, state: 'critical', reasons: ['memory at 98 % of its limit'] },
    ]);
    expect(repos.healthSnapshots.history('c1', T0 + 1)).toHaveLength(1);
    // the next round, a retention later: the first round goes (both containers' rows), the second stays
    expect(repos.healthSnapshots.save(T0 + 2 * HOUR, [snap('c1', 'healthy')], T0 + 1)).toBe(2);
    expect(repos.healthSnapshots.history('c1', 0).map((h) => h.ts)).toEqual([T0 + HOUR, T0 + 2 * HOUR]);
    expect(repos.healthSnapshots.history('c2', 0)).toEqual([]);
  });
});

describe('settings repository', () => {
  it('writes each key as JSON in one transaction and reads the rows back as stored', () => {
    const { db, repos } = setup();
    repos.settings.save([['sampleIntervalMs', 2000], ['thresholds', { cpuWarnPercent: 70 }]], T0);
    repos.settings.save([['sampleIntervalMs', 1000]], T0 + 1);
    expect(repos.settings.all()).toEqual([
      { key: 'sampleIntervalMs', value: '1000' },
      { key: 'thresholds', value: '{"cpuWarnPercent":70}' },
    ]);
    expect(db.prepare('SELECT key, updated_at AS t FROM settings ORDER BY key').all()).toEqual([
      { key: 'sampleIntervalMs', t: T0 + 1 },
      { key: 'thresholds', t: T0 },
    ]);
    // a value that cannot be stored leaves none of its batch behind
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => repos.settings.save([['sampleIntervalMs', 500], ['health', cyclic]], T0 + 2)).toThrow(/circular/);
    expect(repos.settings.all()[0]).toEqual({ key: 'sampleIntervalMs', value: '1000' });
  });
});

describe('events repository', () => {
  it('keeps the engine id in the column and its name for display, and reads both back (details as recorded)', () => {
    const { db, events } = setup();
    events.record({ type: 'image.pull', ...onEngine({ id: 'a1b2c3d4', name: 'gpu-box' }), image: 'busybox:latest', details: { bytes: 10 }, ts: T0 });
    events.record({ type: 'engine.removed', ...onEngine({ id: 'a1b2c3d4', name: 'gpu-box' }), actor: 'user', ts: T0 + 1 });
    events.record({ type: 'settings.invalid', outcome: 'error', error: 'x', ts: T0 + 2 });
    const [settings, removed, pull] = events.query({ limit: 10 });
    expect(pull).toMatchObject({ engine: 'a1b2c3d4', engineName: 'gpu-box', details: { bytes: 10 } });
    expect(removed).toMatchObject({ engine: 'a1b2c3d4', engineName: 'gpu-box', details: null });
    expect(settings).toMatchObject({ engine: null, engineName: null, details: null });
    expect(db.prepare('SELECT engine, details FROM events ORDER BY id').all()).toEqual([
      { engine: 'a1b2c3d4', details: '{"bytes":10,"engineName":"gpu-box"}' },
      { engine: 'a1b2c3d4', details: '{"engineName":"gpu-box"}' },
      { engine: null, details: null },
    ]);
    expect(events.recent(1)[0]).toMatchObject({ type: 'settings.invalid', engineName: null });
  });

  it('queries by type prefix, container id prefix or name, outcome, actor, time range and free text', () => {
    const { events } = setup();
    events.record({ type: 'container.launch', containerId: 'abc123', container: 'trainer', image: 'nvcr.io/nvidia/pytorch:24.01-py3', actor: 'user', ts: T0 });
    events.record({ type: 'container.stop', containerId: 'abc123', container: 'trainer', actor: 'user', ts: T0 + 10 });
    events.record({ type: 'docker.die', containerId: 'abc123', container: 'trainer', actor: 'docker', outcome: 'error', error: 'exited with code 137', ts: T0 + 20 });
    events.record({ type: 'container.launch', containerId: 'def456', container: '50%_off', actor: 'user', ts: T0 + 30 });
    const types = (q: Parameters<typeof events.query>[0]) => events.query(q).map((r) => `${r.type}@${r.ts - T0}`);
    expect(types({ limit: 10, type: 'container.' })).toEqual(['container.launch@30', 'container.stop@10', 'container.launch@0']);
    expect(types({ limit: 10, container: 'abc' })).toEqual(['docker.die@20', 'container.stop@10', 'container.launch@0']);
    expect(types({ limit: 10, container: '50%_off' })).toEqual(['container.launch@30']);
    expect(types({ limit: 10, container: '%' })).toEqual([]); // % and _ are not wildcards
    expect(types({ limit: 10, container: '_' })).toEqual([]);
    expect(types({ limit: 10, type: '%' })).toEqual([]);
    expect(types({ limit: 10, outcome: 'error' })).toEqual(['docker.die@20']);
    expect(types({ limit: 10, actor: 'docker' })).toEqual(['docker.die@20']);
    expect(types({ limit: 10, since: T0 + 10, until: T0 + 30 })).toEqual(['docker.die@20', 'container.stop@10']);
    expect(types({ limit: 10, search: 'PYTORCH' })).toEqual(['container.launch@0']);
    expect(types({ limit: 2 })).toEqual(['container.launch@30', 'docker.die@20']);
  });

  it('tells whether a container was stopped on purpose since a time (Docker kill or stop, MLEnv stop or remove)', () => {
    const { events } = setup();
    events.record({ type: 'container.launch', containerId: 'c1', ts: T0 });
    events.record({ type: 'docker.die', containerId: 'c1', actor: 'docker', ts: T0 + 5 });
    expect(events.stoppedOnPurposeSince('c1', T0)).toBe(false); // a die alone is not on purpose
    for (const [i, type] of ['docker.kill', 'docker.stop', 'container.stop', 'container.remove'].entries()) {
      const c = `p${i}`;
      events.record({ type, containerId: c, ts: T0 + 100 });
      expect(events.stoppedOnPurposeSince(c, T0 + 100)).toBe(true);
      expect(events.stoppedOnPurposeSince(c, T0 + 101)).toBe(false); // before this run started: not this run's
    }
    expect(events.stoppedOnPurposeSince('p0-other', 0)).toBe(false);
  });

  it('the retention deletes: older than a time in slices, the oldest beyond a count', () => {
    const { events } = setup();
    for (let i = 0; i < 10; i++) events.record({ type: 'container.start', containerId: `c${i}`, ts: T0 + i });
    expect(events.count()).toBe(10);
    expect(events.deleteOlderThan(T0 + 5, 3)).toBe(3);
    expect(events.deleteOlderThan(T0 + 5, 3)).toBe(2);
    expect(events.deleteOlderThan(T0 + 5, 3)).toBe(0);
    expect(events.deleteOldest(2)).toBe(2);
    expect(events.query({ limit: 10 }).map((r) => r.containerId)).toEqual(['c9', 'c8', 'c7']);
  });
});
