// Lifecycle on the real engine through the real router: limits and auto-assigned ports read back
// from inspect, typed refusals before and from the engine, logs tail and follow, events recorded.
import type Docker from 'dockerode';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload, LogLine } from '@shared/contract';
import { AppError } from '@shared/errors';
import { realDocker, refusal, TEST_IMAGE, tmpDataDir, waitFor } from '../../test-support';
import type { App } from '../app';
import { connectionContext } from '../../connection';
import { call, removeTestContainers, RUN, startApp, testLabels } from '../../test-support/docker-app';

const docker = await realDocker();
/** How far the engine's clock may stand from ours (it is the same host's clock here; a remote engine's is not). */
const SKEW_MS = 1000;
const getText = (port: number) =>
  new Promise<string>((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });

describe.skipIf(!docker)('containers on the real engine', () => {
  let app: App;
  const d = docker as Docker;
  const name = `mlenv-t-life-${RUN}`;

  beforeAll(async () => {
    app = await startApp(tmpDataDir(), d);
  });
  afterAll(async () => {
    await removeTestContainers(d);
    await app?.dispose();
  });

  it('launches with limits and an auto-assigned port, read back from inspect, and serves on it', async () => {
    const c = await call(app, 'containers.launch', {
      image: TEST_IMAGE,
      name,
      project: 'life',
      cpus: '500m',
      memory: '64m',
      shmSize: '16m',
      ports: ['0:80'],
      env: ['GREETING=hi', 'API_KEY=s3cret'],
      command: ['httpd', '-f', '-p', '80', '-h', '/www'],
      init: true,
      restart: 'unless-stopped',
      ulimits: ['nofile=1024:2048'],
      labels: testLabels,
    });
    expect(c).toMatchObject({ name, state: 'running', managed: true, project: 'life', nanoCpus: 500_000_000, memory: 64 * 1024 ** 2, shmSize: 16 * 1024 ** 2, restartPolicy: 'unless-stopped' });
    expect(c.env).toEqual(expect.arrayContaining(['GREETING=hi', 'API_KEY=••••••']));
    // IPC mode and ulimits as the engine reports them (the daemon's default IPC mode: private or shareable).
    expect(c.ulimits).toEqual([{ Name: 'nofile', Soft: 1024, Hard: 2048 }]);
    expect(c.ipcMode).toMatch(/^(private|shareable)$/);
    const raw = await d.getContainer(c.id).inspect();
    const bound = Number(raw.NetworkSettings.Ports['80/tcp']![0]!.HostPort);
    expect(bound).toBeGreaterThan(0);
    expect(c.ports).toContainEqual(expect.objectContaining({ containerPort: 80, protocol: 'tcp', hostPort: bound }));
    expect(raw.HostConfig).toMatchObject({ NanoCpus: 500_000_000, Memory: 67108864, Init: true, Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 2048 }] });
    expect(raw.Config.Labels).toMatchObject({ 'io.mlenv.managed': 'true', 'io.mlenv.project': 'life' });
    expect(await getText(bound)).toContain('hello from mlenv test image');

    const list = await call(app, 'containers.list', {});
    expect(list.find((x) => x.id === c.id)).toMatchObject({ managed: true, state: 'running', ports: [expect.objectContaining({ hostPort: bound })] });
    const row = app.db.prepare('SELECT name, project, ports FROM container_instances WHERE id = ?').get(c.id) as { name: string; project: string; ports: string };
    expect(row).toMatchObject({ name, project: 'life' });
    expect(JSON.parse(row.ports)).toContainEqual(expect.objectContaining({ hostPort: bound }));
  });

  it('pauses, unpauses, stops, starts and restarts by name, and journals each with Docker’s own events', async () => {
    expect((await call(app, 'containers.pause', { id: name })).state).toBe('paused');
    expect((await call(app, 'containers.unpause', { id: name })).state).toBe('running');
    expect((await call(app, 'containers.stop', { id: name, timeoutSeconds: 1 })).state).toBe('exited');
    expect((await call(app, 'containers.start', { id: name })).state).toBe('running');
    expect((await call(app, 'containers.restart', { id: name, timeoutSeconds: 1 })).state).toBe('running');
    const types = await waitFor(
      async () => {
        const rows = await call(app, 'events.list', { container: name, limit: 100 });
        const t = rows.map((r) => r.type);
        return ['container.launch', 'container.pause', 'container.unpause', 'container.stop', 'container.start', 'container.restart', 'docker.start', 'docker.die', 'docker.pause'].every((x) => t.includes(x)) && t;
      },
      5000,
      'operation and docker events in the journal',
    );
    expect(types).toContain('docker.unpause');
    const ops = await call(app, 'events.list', { container: name, type: 'container.', actor: 'user' });
    expect(ops.every((r) => r.outcome === 'ok' && r.image === TEST_IMAGE)).toBe(true);
  });

  it('refuses to remove a running container without force, then removes it with force', async () => {
    const e = await refusal(call(app, 'containers.remove', { id: name }));
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toMatch(new RegExp(`${name} is running: stop it first, or remove it with force`));
    expect(await call(app, 'containers.remove', { id: name, force: true })).toMatchObject({ removed: true });
    expect((await refusal(call(app, 'containers.inspect', { id: name }))).code).toBe('NOT_FOUND');
  });

  it('passes -v options to the engine as the docker CLI does: Binds as written, anonymous volumes in Config.Volumes', async () => {
    const host = mkdtempSync(path.join(os.tmpdir(), 'mlenv-bind-'));
    const vol = `mlenv-t-vol-${RUN}`;
    const c = await call(app, 'containers.launch', {
      image: TEST_IMAGE,
      volumes: [`${host}:/data:ro,z,rprivate`, `${vol}:/cache:nocopy`, '/scratch'],
      command: ['sleep', '60'],
      init: true,
      labels: testLabels,
    });
    try {
      const info = await d.getContainer(c.id).inspect();
      expect(info.HostConfig.Binds).toEqual([`${host}:/data:ro,z,rprivate`, `${vol}:/cache:nocopy`]);
      expect(info.Config.Volumes).toEqual({ '/scratch': {} });
      const byTarget = Object.fromEntries(info.Mounts.map((m) => [m.Destination, m]));
      expect(byTarget['/data']).toMatchObject({ Type: 'bind', Source: host, RW: false, Mode: 'ro,z,rprivate', Propagation: 'rprivate' });
      expect(byTarget['/cache']).toMatchObject({ Type: 'volume', Name: vol, RW: true, Mode: 'nocopy' });
      expect(byTarget['/scratch']).toMatchObject({ Type: 'volume', RW: true });
    } finally {
      await d.getContainer(c.id).remove({ force: true, v: true });
      await d.getVolume(vol).remove().catch(() => undefined);
      rmSync(host, { recursive: true, force: true });
    }
  });

  it('refuses bad input before the engine, naming the value and what is accepted', async () => {
    const badLabels = { ...testLabels, 'io.mlenv.case': `bad-input-${RUN}` };
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ image: TEST_IMAGE, memory: '12 parsecs' }, /memory: "12 parsecs" is not a size/],
      [{ image: TEST_IMAGE, cpus: '-2' }, /cpus: "-2" is not a CPU amount/],
      [{ image: TEST_IMAGE, ports: ['80:99999'] }, /ports\.0: "80:99999": container port 99999/],
      [{ image: TEST_IMAGE, name: 'x' }, /name: "x" is not a container name/],
      [{ image: 'Not An Image' }, /image: "Not An Image" is not an image reference/],
      [{ image: TEST_IMAGE, volumes: ['work:/w:zz'] }, /volumes\.0: "work:\/w:zz" is not a volume/],
      [{ image: TEST_IMAGE, gpus: 'several' }, /gpus: "several" is not a GPU selection/],
    ];
    for (const [input, message] of cases) {
      const e = await refusal(call(app, 'containers.launch', { ...input, labels: badLabels } as never));
      expect(e.code).toBe('INVALID_INPUT');
      expect(e.message).toMatch(message);
    }
    const missing = await refusal(call(app, 'containers.launch', { image: TEST_IMAGE, volumes: [`/nonexistent-${RUN}:/data`], labels: badLabels }));
    expect(missing).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/host folder \/nonexistent-.* does not exist/) });
    // Nothing reached the engine: no container carries this case's label.
    expect(await d.listContainers({ all: true, filters: { label: [`io.mlenv.case=bad-input-${RUN}`] } })).toEqual([]);
    const rows = await call(app, 'events.list', { type: 'request.failed', outcome: 'error' });
    expect(rows.length).toBeGreaterThanOrEqual(cases.length);
  });

  it('returns the engine’s own message, typed, for a missing image, a taken port and a name conflict', async () => {
    const noImage = await refusal(call(app, 'containers.launch', { image: `mlenv-test/absent-${RUN}:v0`, pull: 'never', labels: testLabels }));
    expect(noImage).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('is not on engine') });
    const holder = await call(app, 'containers.launch', { image: TEST_IMAGE, name: `mlenv-t-hold-${RUN}`, ports: ['0:80'], command: ['sleep', '60'], init: true, labels: testLabels });
    const taken = holder.ports[0]!.hostPort!;
    const clash = await refusal(call(app, 'containers.launch', { image: TEST_IMAGE, ports: [`${taken}:80`], command: ['sleep', '60'], init: true, labels: testLabels }));
    expect(clash.code).toBe('CONFLICT');
    expect(clash.message).toMatch(/port is already allocated|address already in use/);
    const dup = await refusal(call(app, 'containers.launch', { image: TEST_IMAGE, name: `mlenv-t-hold-${RUN}`, command: ['true'], labels: testLabels }));
    expect(dup.code).toBe('CONFLICT');
    expect(dup.message).toMatch(/is already in use/);
    const journal = await call(app, 'events.list', { type: 'container.launch', outcome: 'error' });
    expect(journal.map((r) => r.error)).toEqual(expect.arrayContaining([expect.stringMatching(/already allocated|already in use/)]));
  });

  it('shows containers it did not create read-only', async () => {
    const foreign = await d.createContainer({ Image: TEST_IMAGE, Cmd: ['true'], Labels: testLabels });
    const list = await call(app, 'containers.list', {});
    expect(list.find((x) => x.id === foreign.id)).toMatchObject({ managed: false });
    const e = await refusal(call(app, 'containers.start', { id: foreign.id }));
    expect(e).toMatchObject({ code: 'UNSUPPORTED', message: expect.stringContaining('shown read-only') });
  });

  it('tails logs with stdout and stderr apart and follows new lines as events', async () => {
    const launchedAt = Date.now();
    const c = await call(app, 'containers.launch', {
      image: TEST_IMAGE,
      name: `mlenv-t-logs-${RUN}`,
      command: ['sh', '-c', 'echo to-out; echo to-err >&2; i=0; while true; do i=$((i+1)); echo tick-$i; sleep 0.2; done'],
      init: true,
      labels: testLabels,
    });
    const tail = await waitFor(async () => {
      const l = await call(app, 'logs.tail', { id: c.id, tail: 100 });
      return l.length >= 3 && l;
    }, 15_000, 'first log lines');
    expect(tail).toContainEqual(expect.objectContaining({ stream: 'stdout', text: 'to-out' }));
    expect(tail).toContainEqual(expect.objectContaining({ stream: 'stderr', text: 'to-err' }));
    // The engine's timestamps, on the host's clock (dockerd runs here): written after the launch began and
    // before the tail came back, give or take the engine's clock (SKEW_MS).
    const tailedAt = Date.now();
    for (const l of tail) {
      expect(l.ts).toBeGreaterThanOrEqual(launchedAt - SKEW_MS);
      expect(l.ts).toBeLessThanOrEqual(tailedAt + SKEW_MS);
    }

    const got: LogLine[] = [];
    let ended = false;
    let followId = '';
    const tab = connectionContext(app.bus, (name, payload) => {
      const p = payload as EventPayload<'logs.lines'>;
      if (name !== 'logs.lines' || p.followId !== followId) return;
      got.push(...p.lines);
      ended ||= p.ended === true;
    });
    const opened = await app.router.dispatch('logs.follow', { id: c.id, tail: 0 }, tab);
    if (!opened.ok) throw AppError.fromBody(opened.error);
    followId = (opened.value as { followId: string }).followId;
    const lastSeen = Number(/tick-(\d+)/.exec(tail.filter((l) => l.text.startsWith('tick-')).at(-1)!.text)![1]);
    await waitFor(() => got.filter((l) => l.text.startsWith('tick-')).length >= 5, 15_000, 'five followed lines');
    const numbers = got.filter((l) => l.text.startsWith('tick-')).map((l) => Number(l.text.slice(5)));
    expect(numbers[0]).toBeGreaterThan(lastSeen - 1);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b)); // in order, none twice
    await call(app, 'containers.stop', { id: c.id, timeoutSeconds: 0 });
    await waitFor(() => ended, 15_000, 'the follow to end with the container');
    tab.close();
  });

  it('ends a log follow when the connection that opened it goes away', async () => {
    const c = await call(app, 'containers.launch', {
      image: TEST_IMAGE,
      name: `mlenv-t-follow-${RUN}`,
      command: ['sh', '-c', 'while true; do echo still-here; sleep 0.2; done'],
      init: true,
      labels: testLabels,
    });
    const tab = connectionContext(app.bus, () => undefined);
    const opened = await app.router.dispatch('logs.follow', { id: c.id, tail: 0 }, tab);
    if (!opened.ok) throw new Error(opened.error.message);
    const { followId } = opened.value as { followId: string };
    tab.close(); // the browser tab closed without unfollowing
    // Nothing left to unfollow: the stream was stopped with the connection.
    expect(await call(app, 'logs.unfollow', { followId })).toEqual({ stopped: false });
    await call(app, 'containers.stop', { id: c.id, timeoutSeconds: 0 });
  });
});
