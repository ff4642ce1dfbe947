// A Podman engine's /events stream through the whole Docker service: dockerode reads it from a
// socket that answers as Podman's compat API does (the reported Podman 4.x lines, verbatim apart from
// the managed label and times moved after the `since` the app asks for), the service normalises,
// journals (real SQLite) and tells its listeners. Lines that are not events never throw.
import Docker from 'dockerode';
import { createServer, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ContainersChanged } from '@shared/contract';
import { tmpDataDir, waitFor } from '../../test-support';
import { createBus } from '../bus';
import { openDatabase } from '../store/db';
import { createEventLog } from '../store/events';
import { createRepositories } from '../store/repositories';
import { LABEL_MANAGED } from '@shared/labels';
import { createEngineMonitor } from './engine-monitor';
import { createFileSecretStore } from './secrets';
import { createDockerService } from './service';

type Raw = Record<string, unknown> & { Actor: { ID: string; Attributes: Record<string, string> }; timeNano: number };
const FIXTURE = readFileSync(path.join(__dirname, 'fixtures', 'podman-health-status-events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Raw);
const [HEALTHY, STARTING, EXEC_DIED] = FIXTURE as [Raw, Raw, Raw];
/** Older Podman (no compat translation): the container's process ended with code 2; then Podman's own steps. */
const as = (base: Raw, status: string, attributes: Record<string, string> = {}): Raw => ({
  ...base,
  status,
  Action: status,
  HealthStatus: undefined,
  Actor: { ...base.Actor, Attributes: { ...base.Actor.Attributes, ...attributes } },
});
const STREAM: (Raw | string)[] = [
  'null',
  '[]',
  '{"Type":"container"',
  '42',
  HEALTHY,
  STARTING,
  EXEC_DIED,
  as(STARTING, 'died', { containerExitCode: '2' }),
  as(STARTING, 'cleanup'),
  as(STARTING, 'remove'),
];

/** Podman's compat API, as far as the service asks: ping, version, info, the container list, /events. */
function podmanCompat(socketPath: string): Promise<{ close(): void }> {
  const open = new Set<ServerResponse>();
  const json = (res: ServerResponse, v: unknown) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(v));
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://podman');
    const route = url.pathname.replace(/^\/v[\d.]+/, '');
    if (route === '/_ping') return void res.writeHead(200, { 'Content-Type': 'text/plain' }).end('OK');
    if (route === '/version') return json(res, { Version: '4.9.3', ApiVersion: '1.41', Os: 'linux', Arch: 'amd64' });
    if (route === '/info') return json(res, { Runtimes: { crun: {} } });
    if (route === '/containers/json') return json(res, []);
    if (route !== '/events') return void res.writeHead(404).end('{"message":"no such route"}');
    // Replay the stream just after the `since` the app asked for, spaced as in the fixture's order.
    const since = Math.round(Number(url.searchParams.get('since')) * 1e9);
    const text = STREAM.map((e, i) => {
      if (typeof e === 'string') return e;
      const timeNano = since + 1e9 + i * 1e6;
      const labelled = { ...e.Actor.Attributes, [LABEL_MANAGED]: 'true' };
      return JSON.stringify({ ...e, time: Math.floor(timeNano / 1e9), timeNano, Actor: { ...e.Actor, Attributes: labelled } });
    }).join('\n');
    res.writeHead(200, { 'Content-Type': 'application/json' });
    open.add(res);
    // Torn across writes, as a socket may deliver it.
    res.write(text.slice(0, 100));
    res.write(`${text.slice(100)}\n`);
  });
  return new Promise((r) =>
    server.listen(socketPath, () =>
      r({
        close() {
          open.forEach((s) => s.destroy());
          server.close();
        },
      }),
    ),
  );
}

describe('Podman events through the Docker service', () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => cleanup.splice(0).reverse().forEach((f) => f()));

  it('journals health values, a failed die and a destroy in Docker\'s words; ignores exec_died, Podman\'s own steps and lines that are not events', async () => {
    const dir = tmpDataDir();
    const engine = await podmanCompat(path.join(dir, 'podman.sock'));
    cleanup.push(() => engine.close());
    const db = openDatabase(dir);
    cleanup.push(() => db.close());
    const bus = createBus();
    const events = createEventLog(db);
    const monitor = createEngineMonitor({ bus, docker: new Docker({ socketPath: path.join(dir, 'podman.sock') }) });
    const service = createDockerService({ repositories: createRepositories(db), bus, events, engine: monitor, secrets: createFileSecretStore(path.join(dir, 'secrets.json')) });
    const changed: ContainersChanged[] = [];
    bus.on('containers.changed', (c) => changed.push(c));
    const heard: string[] = [];
    service.onDockerEvent((e) => heard.push(e.Action));
    service.onDockerEvent(() => {
      throw new Error('a listener that fails must not take the stream (or the process) down');
    });
    monitor.start();
    service.start();
    cleanup.push(() => {
      service.stop();
      monitor.stop();
    });

    const rows = await waitFor(() => {
      const r = events.query({ type: 'docker.', limit: 50 });
      return r.length >= 4 && r;
    }, 10_000, 'four docker.* journal rows');
    expect(
      rows
        .reverse()
        .map((r) => ({ type: r.type, container: r.container, outcome: r.outcome, error: r.error, details: r.details, engine: r.engine, engineName: r.engineName })),
    ).toEqual([
      { type: 'docker.health_status', container: 'healthcheck-demo', outcome: 'ok', error: null, details: { status: 'healthy' }, engine: 'local', engineName: 'Local' },
      { type: 'docker.health_status', container: 'healthy', outcome: 'ok', error: null, details: { status: 'starting' }, engine: 'local', engineName: 'Local' },
      { type: 'docker.die', container: 'healthy', outcome: 'error', error: 'exited with code 2', details: { exitCode: 2 }, engine: 'local', engineName: 'Local' },
      { type: 'docker.destroy', container: 'healthy', outcome: 'ok', error: null, details: null, engine: 'local', engineName: 'Local' },
    ]);
    expect(heard).toEqual(['health_status: healthy', 'health_status: starting', 'die', 'destroy']);
    expect(changed.map((c) => c.action)).toEqual(['health_status', 'health_status', 'die', 'destroy']);
    expect(service.isWatching()).toBe(true);
  });
});
