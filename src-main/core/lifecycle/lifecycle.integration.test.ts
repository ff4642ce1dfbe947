// The lifecycle gate on the real engine: the stages of a launch in order (a pull from a registry on
// 127.0.0.1, the engine's own create and start events), the reservation released on every failure
// (a pull from an unreachable registry, a create refused, a start refused, admission refusing),
// concurrency (one name, one launch; admission decided synchronously), and who acted on every row.
// The admission hooks here are recording stand-ins for admission control: the seam itself is
// under test; the engine, the registry, the database and the router are real.
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchSchema, type LaunchSpec, type RequestInput } from '@shared/contract';
import { AppError } from '@shared/errors';
import { connectionContext } from '../../connection';
import { realDocker, refusal, TEST_IMAGE, tmpDataDir, waitFor } from '../../test-support';
import type { App } from '../app';
import type { Engine } from '../docker/engine-registry';
import { startRegistry } from '../../test-support/registry-fixture';
import { call, removeTestContainers, RUN, startApp, testLabels } from '../../test-support/docker-app';
import type { AdmissionGate, AdmissionRequest } from './admission';
import { createLifecycle } from './service';

const docker = await realDocker();


/** An admission hook that records every call in `steps`; `refuse` (when it returns a sentence) refuses the request. */
function recorder(refuse?: (r: AdmissionRequest) => string | undefined) {
  const steps: string[] = [];
  const requests: AdmissionRequest[] = [];
  const reasons: string[] = [];
  const gate: AdmissionGate = {
    admitAndReserve(r) {
      requests.push(r);
      const why = refuse?.(r);
      if (why) {
        steps.push(`refuse ${r.action}`);
        throw new AppError('ADMISSION_REJECTED', why);
      }
      steps.push(`admit ${r.action}`);
      return {
        bind: (id) => steps.push(`bind ${id}`),
        commit: () => steps.push('commit'),
        release: (reason) => {
          steps.push('release');
          reasons.push(reason);
        },
      };
    },
  };
  return { gate, steps, requests, reasons };
}

describe.skipIf(!docker)('the lifecycle gate on the real engine', () => {
  const d = docker as Docker;
  let app: App;
  let engine: Engine;
  let registry: Awaited<ReturnType<typeof startRegistry>>;
  let ref: string;
  const spec = (input: RequestInput<'containers.launch'>): LaunchSpec => launchSchema.parse({ labels: testLabels, ...input });
  const gateWith = (admission: AdmissionGate) => createLifecycle({ bus: app.bus, images: app.docker.images, containers: app.docker.containers, admission });
  const sleeper = (name: string, more: Partial<RequestInput<'containers.launch'>> = {}) => spec({ image: TEST_IMAGE, name, command: ['sleep', '120'], init: true, ...more });
  const exists = async (name: string) => (await d.listContainers({ all: true, filters: { name: [`^/${name}$`] } })).length > 0;

  /** The engine's own actions on container `id` (its /events), read until each of `want` was seen. */
  async function engineActions(id: string, since: number, want: string[]): Promise<string[]> {
    const stream = (await d.getEvents({ since, filters: { type: ['container'], container: [id] } })) as NodeJS.ReadableStream & { destroy(): void };
    const seen: string[] = [];
    let buf = '';
    stream.on('data', (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i).trim();
        buf = buf.slice(i + 1);
        if (line) seen.push((JSON.parse(line) as { Action: string }).Action);
      }
    });
    try {
      await waitFor(() => want.every((a) => seen.includes(a)), 10_000, `the engine's ${want.join(', ')} events`);
    } finally {
      stream.destroy();
    }
    return seen;
  }

  beforeAll(async () => {
    registry = await startRegistry();
    // The test image, pushed to a registry on 127.0.0.1 and gone from the engine: a launch must pull it.
    ref = `${registry.host}/mlenv-test/gate:${RUN}`;
    await d.getImage(TEST_IMAGE).tag({ repo: `${registry.host}/mlenv-test/gate`, tag: RUN });
    const pushed = (await d.getImage(ref).push({ authconfig: { serveraddress: registry.host } })) as NodeJS.ReadableStream;
    await new Promise<void>((resolve, reject) =>
      d.modem.followProgress(pushed, (err: Error | null, out: { error?: string }[]) => {
        const failed = err ?? out.find((o) => o.error)?.error;
        if (failed) reject(new Error(String(failed)));
        else resolve();
      }),
    );
    await d.getImage(ref).remove();
    app = await startApp(tmpDataDir(), d);
    engine = app.docker.engines.get();
  }, 120_000);
  afterAll(async () => {
    await removeTestContainers(d);
    await d.getImage(ref).remove({ force: true }).catch(() => undefined);
    await app?.dispose();
    await registry?.stop();
  });

  it('launches in stages: admit and reserve before the first await, then pull, create, start, commit', async () => {
    const rec = recorder();
    const gate = gateWith(rec.gate);
    const name = `mlenv-t-gate-stages-${RUN}`;
    const off = app.bus.on('pull.progress', (p) => {
      if (p.ref === ref && rec.steps.at(-1) !== 'pull') rec.steps.push('pull');
    });
    // Only this container's events are read, so a window reaching well before the launch is safe from clock skew.
    const since = Math.floor(Date.now() / 1000) - 60;
    const launching = gate.launch(engine, sleeper(name, { image: ref }), 'one-click');
    expect(rec.steps).toEqual(['admit launch']); // decided and reserved before the launch awaited anything
    const c = await launching;
    off();
    expect(rec.steps).toEqual(['admit launch', 'pull', `bind ${c.id}`, 'commit']);
    expect(rec.requests[0]).toMatchObject({ action: 'launch', actor: 'one-click', engine: { id: 'local' }, spec: { image: ref, name } });
    expect(c).toMatchObject({ name, state: 'running', image: ref });
    const actions = await engineActions(c.id, since, ['create', 'start']);
    expect(actions.indexOf('create')).toBeLessThan(actions.indexOf('start'));
    // Every row of the launch names who asked: the pull's and the launch's.
    const pulls = await call(app, 'events.list', { type: 'image.pull', search: ref });
    expect(pulls).toEqual([expect.objectContaining({ outcome: 'ok', actor: 'one-click' })]);
    const launches = await call(app, 'events.list', { type: 'container.launch', container: name });
    expect(launches).toEqual([expect.objectContaining({ outcome: 'ok', actor: 'one-click', containerId: c.id })]);
  });

  it('releases the reservation when the pull fails (a registry nobody answers at 127.0.0.1:1)', async () => {
    const rec = recorder();
    const image = `127.0.0.1:1/mlenv-test/unreachable:${RUN}`;
    const name = `mlenv-t-gate-nopull-${RUN}`;
    const err = await refusal(gateWith(rec.gate).launch(engine, spec({ image, name }), 'reconciler'));
    expect(err.message).toContain('127.0.0.1:1');
    expect(rec.steps).toEqual(['admit launch', 'release']);
    expect(rec.reasons[0]).toContain('127.0.0.1:1');
    expect(await exists(name)).toBe(false);
    const rows = await call(app, 'events.list', { search: image });
    expect(rows.map((r) => [r.type, r.outcome, r.actor]).sort()).toEqual([
      ['container.launch', 'error', 'reconciler'],
      ['image.pull', 'error', 'reconciler'],
    ]);
  });

  it('releases the reservation when the engine refuses the create (the name is taken) and when the start fails (the port is taken)', async () => {
    const holder = await call(app, 'containers.launch', { image: TEST_IMAGE, name: `mlenv-t-gate-hold-${RUN}`, ports: ['0:80'], command: ['sleep', '120'], init: true, labels: testLabels });
    const rec = recorder();
    const gate = gateWith(rec.gate);
    const taken = await refusal(gate.launch(engine, sleeper(holder.name), 'user'));
    expect(taken).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/^create .*is already in use/) });
    expect(rec.steps).toEqual(['admit launch', 'release']);

    rec.steps.length = 0;
    const name = `mlenv-t-gate-clash-${RUN}`;
    const clash = await refusal(gate.launch(engine, sleeper(name, { ports: [`${holder.ports[0]!.hostPort}:80`] }), 'user'));
    expect(clash).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/^start .*(already allocated|address already in use)/) });
    expect(rec.steps).toEqual(['admit launch', expect.stringMatching(/^bind [0-9a-f]{64}$/), 'release']);
    expect(await exists(name)).toBe(false); // created, could not start, removed: it holds no name
  });

  it('admits a start of a stopped container with what it will run, and releases when the start fails', async () => {
    const rec = recorder();
    const gate = gateWith(rec.gate);
    const holder = await call(app, 'containers.launch', { image: TEST_IMAGE, name: `mlenv-t-gate-hold2-${RUN}`, ports: ['0:80'], command: ['sleep', '120'], init: true, labels: testLabels });
    // Created without starting, on the holder's port: its start will fail.
    const idle = await gate.launch(engine, sleeper(`mlenv-t-gate-idle-${RUN}`, { memory: '32m', start: false, ports: [`${holder.ports[0]!.hostPort}:80`] }), 'user');
    expect(idle.state).toBe('created');
    expect(rec.steps).toEqual(['admit launch', `bind ${idle.id}`, 'commit']);

    rec.steps.length = 0;
    const failed = await refusal(gate.operate(engine, idle.name, 'start', 'tier-manager'));
    expect(failed.code).toBe('CONFLICT');
    expect(rec.steps).toEqual(['admit start', `bind ${idle.id}`, 'release']);
    expect(rec.requests.at(-1)).toMatchObject({ action: 'start', actor: 'tier-manager', container: { id: idle.id, memory: 32 * 1024 ** 2 } });

    rec.steps.length = 0;
    await call(app, 'containers.remove', { id: holder.id, force: true });
    const started = await gate.operate(engine, idle.name, 'start', 'tier-manager');
    expect(started.state).toBe('running');
    expect(rec.steps).toEqual(['admit start', `bind ${idle.id}`, 'commit']);
    const rows = await call(app, 'events.list', { container: idle.name, type: 'container.start' });
    expect(rows.map((r) => [r.outcome, r.actor])).toEqual([
      ['ok', 'tier-manager'],
      ['error', 'tier-manager'],
    ]);
  });

  it('refused by admission: nothing reaches the engine, the refusal is journaled, and the name is free again', async () => {
    let refusing = true;
    const rec = recorder(() => (refusing ? 'Memory would reach 91 % (limit 85 %)' : undefined));
    const gate = gateWith(rec.gate);
    const name = `mlenv-t-gate-refused-${RUN}`;
    const err = await refusal(gate.launch(engine, sleeper(name), 'cli'));
    expect(err).toMatchObject({ code: 'ADMISSION_REJECTED', message: 'Memory would reach 91 % (limit 85 %)' });
    expect(rec.steps).toEqual(['refuse launch']);
    expect(await exists(name)).toBe(false);
    const rows = await call(app, 'events.list', { container: name, type: 'container.launch' });
    expect(rows).toEqual([expect.objectContaining({ outcome: 'error', actor: 'cli', error: 'Memory would reach 91 % (limit 85 %)' })]);
    refusing = false;
    expect((await gate.launch(engine, sleeper(name), 'cli')).state).toBe('running');
  });

  it('decides admission synchronously: two launches racing for the last place, exactly one admitted', async () => {
    // A one-place ledger, as admission's will be: what is reserved stays counted until released.
    let held = 0;
    const ledger: AdmissionGate = {
      admitAndReserve() {
        if (held >= 1) throw new AppError('ADMISSION_REJECTED', 'no place left');
        held++;
        return { bind: () => undefined, commit: () => undefined, release: () => held-- };
      },
    };
    const gate = gateWith(ledger);
    const results = await Promise.allSettled([1, 2].map((n) => gate.launch(engine, sleeper(`mlenv-t-gate-race${n}-${RUN}`), 'user')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected.map((r) => (r.reason as AppError).code)).toEqual(['ADMISSION_REJECTED']);
  });

  it('serialises launches of one name through the router: one launches, the other is a CONFLICT', async () => {
    const name = `mlenv-t-gate-twice-${RUN}`;
    const input = { image: TEST_IMAGE, name, command: ['sleep', '120'], init: true, labels: testLabels };
    const [a, b] = await Promise.all([app.router.dispatch('containers.launch', input), app.router.dispatch('containers.launch', input)]);
    const ok = [a, b].filter((r) => r.ok);
    const refused = [a, b].flatMap((r) => (r.ok ? [] : [r.error]));
    expect(ok).toHaveLength(1);
    expect(refused).toEqual([{ code: 'CONFLICT', message: `launch ${name}: a launch of container ${name} on engine ${engine.name} (by user) is under way; try again when it has finished` }]);
    expect(await d.listContainers({ all: true, filters: { name: [`^/${name}$`] } })).toHaveLength(1);
  });

  it('journals who acted: the CLI’s connection on each row of its operations, a plain caller as the user', async () => {
    const cli = connectionContext(app.bus, () => undefined, 'cli');
    const as = async <N extends 'containers.launch' | 'containers.pause' | 'containers.unpause' | 'containers.stop' | 'containers.start' | 'containers.restart'>(
      name: N,
      input: RequestInput<N>,
    ) => {
      const r = await app.router.dispatch(name, input, cli);
      if (!r.ok) throw AppError.fromBody(r.error);
    };
    const name = `mlenv-t-gate-cli-${RUN}`;
    await as('containers.launch', { image: TEST_IMAGE, name, command: ['sleep', '120'], init: true, labels: testLabels });
    await as('containers.pause', { id: name });
    await as('containers.unpause', { id: name });
    await as('containers.stop', { id: name, timeoutSeconds: 0 });
    await as('containers.start', { id: name });
    await as('containers.restart', { id: name, timeoutSeconds: 0 });
    cli.close();
    await call(app, 'containers.stop', { id: name, timeoutSeconds: 0 }); // no connection: the user
    const rows = await call(app, 'events.list', { container: name, type: 'container.' });
    expect(rows.map((r) => `${r.type} ${r.actor}`).reverse()).toEqual([
      'container.launch cli',
      'container.pause cli',
      'container.unpause cli',
      'container.stop cli',
      'container.start cli',
      'container.restart cli',
      'container.stop user',
    ]);
    expect((await call(app, 'events.list', { container: name, actor: 'cli' })).length).toBe(6);
  });
});
