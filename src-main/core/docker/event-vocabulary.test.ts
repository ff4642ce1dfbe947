// Podman's Docker-compatible /events vocabulary read as Docker's (pure), and what the journal keeps of
// it (the service's handler, journalDockerEvent, writing to a real SQLite file).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmpDataDir } from '../../test-support';
import { openDatabase } from '../store/db';
import { createEventLog } from '../store/events';
import { LABEL_MANAGED } from '@shared/labels';
import { journalDockerEvent } from './event-journal';
import { parseEventLine, toDockerEvent, type DockerEvent } from './event-vocabulary';

/** Podman 4.x compat events: two health_status (value in top-level HealthStatus) and an exec_died. */
const PODMAN_LINES = readFileSync(path.join(__dirname, 'fixtures', 'podman-health-status-events.jsonl'), 'utf8').trim().split('\n');
const podman = PODMAN_LINES.map((l) => JSON.parse(l) as Record<string, unknown> & { Actor: { ID: string; Attributes: Record<string, string> } });
const HEALTHCHECK_DEMO = 'ae498ac3aa6c63db8b69a37583a6eae1a9cefbdbdbeeadcf8e1d66d745f0df63';
const BUSYBOX = '798749e3c934d6c083bbb0bd0f03d894de366121d6aa3dec4c46432758a6b27c';

/** A Podman container event in the fixture's shape with another status word (older Podman, no translation). */
const podmanEvent = (status: string, attributes: Record<string, string> = {}, type = 'container') => ({
  status,
  id: BUSYBOX,
  from: 'localhost/test-busybox:latest',
  Type: type,
  Action: status,
  Actor: { ID: BUSYBOX, Attributes: { containerExitCode: '0', image: 'localhost/test-busybox:latest', name: 'healthy', podId: '', ...attributes } },
  scope: 'local',
  time: 1689346710,
  timeNano: 1689346710000000000,
});

describe('toDockerEvent: Podman words become Docker\'s', () => {
  it('health_status with a top-level HealthStatus → "health_status: <value>" (the reported stream)', () => {
    const [healthy, starting, execDied] = podman.map(toDockerEvent);
    expect(healthy).toEqual({
      Type: 'container',
      Action: 'health_status: healthy',
      Actor: { ID: HEALTHCHECK_DEMO, Attributes: podman[0]!.Actor.Attributes },
      time: 1656082205,
      timeNano: 1656082205882271276,
    });
    expect(starting).toMatchObject({ Action: 'health_status: starting', Actor: { ID: BUSYBOX, Attributes: { name: 'healthy' } } });
    expect(execDied).toMatchObject({ Action: 'exec_die', Actor: { ID: BUSYBOX } });
  });

  it('older Podman "died" with containerExitCode → "die" with Docker\'s exitCode', () => {
    expect(toDockerEvent(podmanEvent('died', { containerExitCode: '137' }))).toMatchObject({ Action: 'die', Actor: { Attributes: { exitCode: '137', containerExitCode: '137' } } });
    // Podman ≥ 4.x translates it itself (Action "die", exitCode set): left as it is.
    expect(toDockerEvent({ ...podmanEvent('die', { containerExitCode: '3', exitCode: '3' }) })).toMatchObject({ Action: 'die', Actor: { Attributes: { exitCode: '3' } } });
  });

  it.each([
    ['container', 'remove', 'destroy'],
    ['container', 'exec', 'exec_start'],
    ['container', 'exec_died', 'exec_die'],
    ['image', 'remove', 'delete'],
    ['image', 'loadfromarchive', 'load'],
  ])('%s %s → %s', (type, word, docker) => {
    expect(toDockerEvent(podmanEvent(word, {}, type))?.Action).toBe(docker);
  });

  it.each([
    ['container', 'init'],
    ['container', 'cleanup'],
    ['container', 'mount'],
    ['container', 'unmount'],
    ['container', 'sync'],
    ['container', 'refresh'],
    ['container', 'renumber'],
    ['image', 'mount'],
    ['image', 'build'],
    ['image', 'pull-error'],
  ])('%s %s (a Podman step Docker never reports) is dropped', (type, word) => {
    expect(toDockerEvent(podmanEvent(word, {}, type))).toBeNull();
  });

  it.each(['create', 'start', 'stop', 'kill', 'pause', 'unpause', 'restart', 'rename', 'update', 'attach', 'checkpoint'])('container %s is the same word in both', (word) => {
    expect(toDockerEvent(podmanEvent(word))?.Action).toBe(word);
  });

  it('health_status without a value stays as it is (the health check reads the state from inspect)', () => {
    const { HealthStatus: _, ...bare } = podman[0]!;
    expect(toDockerEvent(bare)?.Action).toBe('health_status');
  });
});

describe('toDockerEvent: Docker\'s own messages pass unchanged', () => {
  const docker = (Type: string, Action: string, Attributes: Record<string, string> = {}): DockerEvent => ({
    Type,
    Action,
    Actor: { ID: 'c0ffee', Attributes: { name: 'web', image: 'busybox', ...Attributes } },
    time: 1700000000,
    timeNano: 1700000000123456789,
  });
  it.each([
    docker('container', 'die', { exitCode: '1' }),
    docker('container', 'health_status: unhealthy'),
    docker('container', 'destroy'),
    docker('container', 'oom'),
    docker('container', 'exec_start: sh -c true', { execID: 'e1' }),
    docker('container', 'exec_die', { execID: 'e1', exitCode: '0' }),
    docker('image', 'delete'),
    docker('image', 'pull'),
  ])('$Type $Action', (e) => {
    expect(toDockerEvent({ ...e, scope: 'local', status: e.Action, id: 'c0ffee', from: 'busybox' })).toEqual(e);
  });

  it('reads the deprecated status/id/from-only shape (API < 1.22) as a container event', () => {
    expect(toDockerEvent({ status: 'start', id: 'c0ffee', from: 'busybox', time: 1700000000 })).toEqual({
      Type: 'container',
      Action: 'start',
      Actor: { ID: 'c0ffee', Attributes: {} },
      time: 1700000000,
      timeNano: 1700000000e9,
    });
  });
});

describe('toDockerEvent / parseEventLine: anything that is not an event is null, never a throw', () => {
  it.each([null, undefined, 42, 'start', [], {}, { Type: 'container', Action: 'start' }, { Type: 'container', Action: 7, time: 1 }, { Type: '', Action: 'start', time: 1 }])(
    '%j',
    (raw) => {
      expect(toDockerEvent(raw)).toBeNull();
    },
  );
  it.each(['{', 'null', '[]', '"text"', '{"Type":"container","Action":"start","timeNano":"soon"}', '\u0000'])('line %j', (line) => {
    expect(parseEventLine(line)).toBeNull();
  });
  it('keeps only string attributes and tolerates a missing Actor', () => {
    expect(toDockerEvent({ Type: 'container', Action: 'start', time: 1, Actor: { ID: 'x', Attributes: { a: 'b', n: 1, o: {} } } })?.Actor).toEqual({ ID: 'x', Attributes: { a: 'b' } });
    expect(toDockerEvent({ Type: 'container', Action: 'start', id: 'y', time: 1 })?.Actor).toEqual({ ID: 'y', Attributes: {} });
  });
});

describe('journalDockerEvent: Podman events in the journal (real SQLite)', () => {
  /** An engine a user added: rows carry its id, its name only for display. */
  const PODMAN = { id: 'a1b2c3d4', name: 'podman' };
  const open = () => {
    const db = openDatabase(tmpDataDir());
    return { db, events: createEventLog(db) };
  };
  /** The Podman events of a container MLEnv launched: Podman lists its labels among the attributes. */
  const managed = (raw: Record<string, unknown> & { Actor: { Attributes: Record<string, string> } }) => ({
    ...raw,
    Actor: { ...raw.Actor, Attributes: { ...raw.Actor.Attributes, [LABEL_MANAGED]: 'true' } },
  });

  it('health values are journaled as docker.health_status with the value; exec_died is not journaled', () => {
    const { db, events } = open();
    const wrote = podman.map((raw) => journalDockerEvent(events, PODMAN, toDockerEvent(managed(raw))!));
    expect(wrote).toEqual([true, true, false]);
    const rows = events.query({ limit: 10 });
    expect(rows.map((r) => ({ type: r.type, containerId: r.containerId, container: r.container, outcome: r.outcome, details: r.details, ts: r.ts }))).toEqual([
      { type: 'docker.health_status', containerId: BUSYBOX, container: 'healthy', outcome: 'ok', details: { status: 'starting' }, ts: 1689346704480 },
      { type: 'docker.health_status', containerId: HEALTHCHECK_DEMO, container: 'healthcheck-demo', outcome: 'ok', details: { status: 'healthy' }, ts: 1656082205882 },
    ]);
    expect(rows.every((r) => r.engine === PODMAN.id && r.engineName === PODMAN.name && r.actor === 'docker')).toBe(true);
    db.close();
  });

  it('a Podman die with a non-zero containerExitCode is an error row; with 0 it is not', () => {
    const { db, events } = open();
    journalDockerEvent(events, PODMAN, toDockerEvent(managed(podmanEvent('died', { containerExitCode: '137' })))!);
    journalDockerEvent(events, PODMAN, toDockerEvent(managed({ ...podmanEvent('died'), timeNano: 1689346711000000000 }))!);
    const [ok, failed] = events.query({ type: 'docker.die', limit: 10 });
    expect(failed).toMatchObject({ type: 'docker.die', outcome: 'error', error: 'exited with code 137', details: { exitCode: 137 } });
    expect(ok).toMatchObject({ type: 'docker.die', outcome: 'ok', error: null, details: { exitCode: 0 } });
    db.close();
  });

  it('a Podman remove is journaled as Docker\'s destroy; containers MLEnv did not launch are not journaled', () => {
    const { db, events } = open();
    expect(journalDockerEvent(events, PODMAN, toDockerEvent(managed(podmanEvent('remove')))!)).toBe(true);
    expect(journalDockerEvent(events, PODMAN, toDockerEvent(podmanEvent('remove'))!)).toBe(false);
    expect(events.query({ limit: 10 }).map((r) => r.type)).toEqual(['docker.destroy']);
    db.close();
  });
});
