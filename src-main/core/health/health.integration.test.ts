// Health on the real engine: an OOM-killed container and a probe that stops answering turn
// critical with alerts and journal rows; container stats report CPU as % of the container's limit.
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '@shared/contract';
import { realDocker, TEST_IMAGE, tmpDataDir, waitFor } from '../../test-support';
import type { App } from '../app';
import { call, removeTestContainers, RUN, startApp, testLabels } from '../../test-support/docker-app';

const docker = await realDocker();

describe.skipIf(!docker)('container health on the real engine', () => {
  const d = docker as Docker;
  let app: App;
  const alerts: Alert[] = [];

  beforeAll(async () => {
    app = await startApp(tmpDataDir(), d);
    // Snapshots only when a test takes them (at a time it chooses), until the last test turns the timer on:
    // the default 60 s timer would otherwise add rows whenever the suite happens to cross its tick.
    await call(app, 'settings.update', { patch: { health: { checkIntervalSeconds: 1, probeTimeoutMs: 500, snapshotIntervalSeconds: 3600 } } });
    app.bus.on('alerts.raised', (a) => alerts.push(a));
  });
  afterAll(async () => {
    await removeTestContainers(d);
    await app?.dispose();
  });

  it('turns critical when a container allocates past its memory limit and is OOM-killed', async () => {
    const c = await call(app, 'containers.launch', {
      image: TEST_IMAGE,
      name: `mlenv-t-oom-${RUN}`,
      memory: '32m',
      command: ['sh', '-c', 'x=a; while true; do x=$x$x; done'],
      labels: testLabels,
    });
    const h = await waitFor(() => app.health.get(c.id)?.state === 'critical' && app.health.get(c.id), 20_000, 'critical health');
    expect(h.reasons[0]).toMatch(/killed for running out of memory \(OOM\)/);
    const raw = await d.getContainer(c.id).inspect();
    expect(raw.State.OOMKilled).toBe(true);
    expect(alerts).toContainEqual(expect.objectContaining({ containerId: c.id, to: 'critical', level: 'critical', message: expect.stringContaining('out of memory') }));
    const rows = await waitFor(async () => {
      const r = await call(app, 'events.list', { container: c.id });
      return r.some((x) => x.type === 'docker.oom') && r.some((x) => x.type === 'health.critical') && r;
    }, 15_000, 'docker.oom and health.critical rows');
    expect(rows.find((x) => x.type === 'health.critical')).toMatchObject({ outcome: 'error', container: `mlenv-t-oom-${RUN}` });
    expect(app.health.criticalCount()).toBeGreaterThanOrEqual(1);
  });

  it('turns critical when its HTTP probe stops answering, and reports why with history', async () => {
    const c = await call(app, 'containers.launch', {
      image: TEST_IMAGE,
      name: `mlenv-t-probe-${RUN}`,
      ports: ['0:80'],
      init: true,
      probe: { kind: 'http', port: 80, path: '/index.html' },
      // httpd daemonizes; the shell stays as the container's main process after httpd is gone.
      command: ['sh', '-c', 'httpd -p 80 -h /www; sleep 3600'],
      labels: testLabels,
    });
    const ok = await waitFor(() => app.health.get(c.id)?.state === 'healthy' && app.health.get(c.id), 10_000, 'healthy');
    expect(ok.probe).toMatchObject({ ok: true, kind: 'http' });
    const healthyAt = Date.now();
    app.health.snapshot(healthyAt);

    const exec = await d.getContainer(c.id).exec({ Cmd: ['killall', 'httpd'] });
    await exec.start({});
    const bad = await waitFor(() => app.health.get(c.id)?.state === 'critical' && app.health.get(c.id), 10_000, 'critical after httpd died');
    expect(bad.reasons[0]).toMatch(/^HTTP probe on http:\/\/127\.0\.0\.1:\d+\/index\.html failed: /);
    expect(alerts).toContainEqual(expect.objectContaining({ containerId: c.id, from: 'healthy', to: 'critical' }));
    app.health.snapshot(healthyAt + 1000); // a later row, never the same (container, ts) key replaced

    const report = await call(app, 'health.report', { id: `mlenv-t-probe-${RUN}` });
    expect(report.current).toMatchObject({ id: c.id, state: 'critical' });
    expect(report.history.map((h) => h.state)).toEqual(['healthy', 'critical']);
    expect(report.history[1]!.reasons[0]).toMatch(/HTTP probe/);
  });

  it('stores a snapshot of every container each interval and trims those past the retention', async () => {
    // One `now` for the rows and the trim: the horizon is exactly 7 days (the default retention) before it.
    const now = Date.now();
    const horizon = now - 7 * 86_400_000;
    const insert = app.db.prepare("INSERT INTO health_snapshots (container_id, ts, state, reasons) VALUES (?, ?, 'healthy', '[]')");
    insert.run('gone-container', horizon - 1);
    insert.run('kept-container', horizon);
    app.health.snapshot(now);
    const rows = app.db.prepare('SELECT container_id AS id, ts FROM health_snapshots').all() as { id: string; ts: number }[];
    expect(rows.some((r) => r.id === 'gone-container')).toBe(false);
    expect(rows).toContainEqual({ id: 'kept-container', ts: horizon });
    expect(new Set(rows.map((r) => r.id)).size).toBeGreaterThanOrEqual(app.health.current().length);
    // The timer stores them by itself at the configured interval.
    await call(app, 'settings.update', { patch: { health: { snapshotIntervalSeconds: 5 } } });
    const before = (app.db.prepare('SELECT count(*) AS n FROM health_snapshots').get() as { n: number }).n;
    await waitFor(() => (app.db.prepare('SELECT count(*) AS n FROM health_snapshots').get() as { n: number }).n > before, 20_000, 'a timed snapshot');
  });

  it('samples stats per running managed container with CPU as % of its limit, and stops when it stops', async () => {
    const limit = 0.2;
    const c = await call(app, 'containers.launch', {
      image: TEST_IMAGE,
      name: `mlenv-t-burn-${RUN}`,
      cpus: String(limit),
      memory: '64m',
      init: true,
      command: ['sh', '-c', 'while true; do :; done'],
      labels: testLabels,
    });
    // On this local engine the figures come from the container's cgroup (core/cgroup; the exact CPU
    // arithmetic against the kernel's own counters is in cgroup.integration.test.ts), CPU % relative to
    // its 0.2 CPU, not to one CPU or the host's CPUs.
    // They are read at the sampler's tick (60 s apart in these tests): tick here.
    const x = await waitFor(async () => {
      await app.sampler.tick();
      return app.containerStats.latest().find((st) => st.id === c.id && (st.cpuPercent ?? 0) > 0);
    }, 15_000, "a sample with the busy loop's CPU");
    expect(app.docker.stats.cgroupIds()).toContain(c.id);
    expect(x).toMatchObject({ name: `mlenv-t-burn-${RUN}`, project: 'default', memoryLimit: 64 * 1024 ** 2, restartCount: 0, oomKilled: false });
    expect(x.memoryPercent).toBeGreaterThan(0);
    expect(await call(app, 'containers.stats', {})).toContainEqual(expect.objectContaining({ id: c.id }));
    await call(app, 'containers.stop', { id: c.id, timeoutSeconds: 0 });
    await waitFor(() => !app.containerStats.latest().some((st) => st.id === c.id) && !app.docker.stats.openIds().includes(c.id), 15_000, 'its stats to stop');
    await waitFor(() => app.health.get(c.id)?.state === 'stopped', 15_000, 'stopped on request, not critical');
  });
});
