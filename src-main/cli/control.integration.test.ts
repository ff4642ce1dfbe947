// The CLI beside a running app: real `mlenv serve` processes on temporary data folders, the built CLI,
// the real engine. The CLI talks to the app over its control socket (so the app does the work and sees
// it at once), read-only commands write nothing, one app owns a data folder, and a CLI call to an app
// that hangs or dies ends in one sentence.
import Docker from 'dockerode';
import { spawn } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerSummary, EventPayload, MetricsSnapshot } from '@shared/contract';
import type { ServerFrame } from '@shared/wire';
import { controlAddress } from '../core/control/address';
import { removeTestContainers, RUN, seedTestAdmissionPolicy, testLabels } from '../test-support/docker-app';
import { DB_FILE, openDatabase } from '../core/store/db';
import { buildCli, realDocker, runCli, TEST_IMAGE, tmpDataDir, waitFor } from '../test-support';
import { killHard, ownerProcess } from '../test-support/owner-process';
import { spawnServe, stopServe, type Served } from '../test-support/serve-process';
import { connectWs } from '../test-support/ws-client';

beforeAll(() => buildCli(), 120_000);

const refusal = (dir: string, who: string) => `mlenv: MLEnv is already running on ${dir}: ${who}; one process at a time owns a data folder (quit that one first, or use another --data-dir)\n`;
/** No engine at all: a CLI that embedded a core of its own would fail; only the running app can answer. */
const NO_ENGINE = { DOCKER_HOST: 'unix:///nonexistent/docker.sock' };

async function served(dir: string, env: NodeJS.ProcessEnv = {}): Promise<Served> {
  seedTestAdmissionPolicy(dir); // `mlenv start` below passes admission: this machine's own load is not under test
  const s = await spawnServe(dir, env);
  if (!('pid' in s)) throw new Error(`serve did not start (${s.code}): ${s.stderr}`);
  return s;
}

/** Rows of the events journal (read-only, beside the running app), optionally only those of `where`. */
function journalRows(dir: string, where = '1 = 1'): number {
  const db = new Database(path.join(dir, DB_FILE), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM events WHERE ${where}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('one owner per data folder', () => {
  it('of two serves started at once, exactly one serves; the other exits 1 naming it', async () => {
    const dir = tmpDataDir();
    const both = await Promise.all([spawnServe(dir), spawnServe(dir)]);
    const winners = both.filter((s): s is Served => 'pid' in s);
    expect(winners).toHaveLength(1);
    const [winner] = winners;
    const loser = both.find((s) => !('pid' in s)) as { code: number; stderr: string };
    expect(loser).toEqual({ code: 1, stderr: refusal(dir, `mlenv serve on ${winner!.origin} (pid ${winner!.pid})`) });
    expect(await stopServe(winner!)).toBe(0);
  });

  it('a serve is refused while the desktop app owns the folder, and starts once it is gone (killed: no stale lock)', async () => {
    const dir = tmpDataDir();
    const desktop = await ownerProcess(dir, { transport: 'desktop' });
    if (!('pid' in desktop)) throw new Error(desktop.refused);
    expect(await spawnServe(dir)).toEqual({ code: 1, stderr: refusal(dir, `the desktop app (pid ${desktop.pid})`) });
    await killHard(desktop.proc);
    const s = await served(dir);
    expect(await stopServe(s)).toBe(0);
  });

  it('a socket file left by a killed process is replaced: serve starts, and the CLI reaches it there', async () => {
    const dir = tmpDataDir();
    const address = controlAddress(dir);
    mkdirSync(path.dirname(address), { recursive: true, mode: 0o700 });
    const ghost = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(address)}, () => console.log('listening'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((r) => ghost.stdout.once('data', r));
    await killHard(ghost);
    expect(statSync(address).isSocket()).toBe(true);
    const s = await served(dir);
    // Without an engine here, only the app can answer (a core of the CLI's own would say the engine is unreachable).
    const health = await runCli(['health', '--json', '--data-dir', dir], 30_000, NO_ENGINE);
    expect(health).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(health.stdout)).toEqual(expect.any(Array));
    const stats = await runCli(['stats', '--json', '--data-dir', dir], 30_000);
    expect(stats.code).toBe(0);
    expect((JSON.parse(stats.stdout) as MetricsSnapshot).host.cpu.cores).toBeGreaterThan(0);
    expect(await stopServe(s)).toBe(0);
  });

  it('a CLI command while the app does not answer fails in one sentence, after its timeout', async () => {
    const dir = tmpDataDir();
    const s = await served(dir);
    s.proc.kill('SIGSTOP'); // alive, holding the folder and its socket, answering nothing
    try {
      const r = await runCli(['stats', '--json', '--data-dir', dir], 15_000, { MLENV_CONTROL_TIMEOUT_MS: '1000' });
      expect(r).toEqual({ code: 1, stdout: '', stderr: `mlenv: the running app (pid ${s.pid}) stopped answering: no reply to metrics.recent within 1 s\n` });
    } finally {
      s.proc.kill('SIGCONT');
    }
    expect(await stopServe(s)).toBe(0);
  });
});

const docker = await realDocker();

describe.skipIf(!docker)('the CLI beside a running mlenv serve, on the real engine', () => {
  const d = docker as Docker;
  const name = `mlenv-t-ctl-${RUN}`;
  let dir: string;
  let serve: Served;

  beforeAll(async () => {
    dir = tmpDataDir();
    const c = await d.createContainer({
      name,
      Image: TEST_IMAGE,
      Cmd: ['sh', '-c', 'echo hello-out; echo hello-err >&2; sleep 300'],
      Labels: { ...testLabels, 'io.mlenv.managed': 'true', 'io.mlenv.project': 'ctl' },
      HostConfig: { Init: true },
    });
    await c.start();
    serve = await served(dir);
  });
  afterAll(async () => {
    if (serve) await stopServe(serve);
    await removeTestContainers(d);
  });

  const apiCall = async (op: string, input: unknown) => {
    const res = await fetch(`${serve.origin}/api/call/${op}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${serve.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(input),
    });
    return (await res.json()) as { ok: boolean; value: unknown };
  };

  it('ps, logs and health are answered by the app and journal nothing', async () => {
    // What a command of its own would journal; the app's own rows (Docker events of other tests' containers) are not the CLI's.
    const mine = "type LIKE 'engine.%' OR type = 'request.failed' OR type = 'settings.invalid'";
    await waitFor(() => journalRows(dir, "type = 'engine.connected'") === 1, 10_000, 'the app journaled its engine');
    const before = journalRows(dir, mine);
    const ps = await runCli(['ps', '--json', '--data-dir', dir], 15_000, NO_ENGINE);
    expect(ps.code).toBe(0);
    expect((JSON.parse(ps.stdout) as ContainerSummary[]).find((c) => c.name === name)).toMatchObject({ state: 'running', managed: true, project: 'ctl' });
    expect(await runCli(['logs', name, '--data-dir', dir], 15_000, NO_ENGINE)).toEqual({ code: 0, stdout: 'hello-out\n', stderr: 'hello-err\n' });
    const health = await runCli(['health', '--json', '--data-dir', dir], 15_000, NO_ENGINE);
    expect(health.code).toBe(0);
    expect(JSON.parse(health.stdout)).toEqual(expect.any(Array)); // the app's own verdicts, whatever they are now
    expect(journalRows(dir, mine)).toBe(before);
  });

  it('mlenv stop is done by the app itself: its list shows it at once and its WebSocket tells of it', async () => {
    const ws = await connectWs(Number(new URL(serve.origin).port), { Authorization: `Bearer ${serve.token}` });
    try {
      expect(await ws.call('events.subscribe', { names: ['containers.changed'] })).toMatchObject({ ok: true });
      const stopsBefore = journalRows(dir, "type = 'container.stop'");
      expect(await runCli(['stop', '-t', '0', name, '--data-dir', dir], 30_000, NO_ENGINE)).toEqual({ code: 0, stdout: `${name}\n`, stderr: '' });
      const list = (await apiCall('containers.list', { all: true })).value as ContainerSummary[];
      expect(list.find((c) => c.name === name)?.state).toBe('exited');
      const changed = await ws.next((f: ServerFrame) => f.type === 'event' && f.name === 'containers.changed' && (f.payload as EventPayload<'containers.changed'>).name === name);
      expect(changed).toMatchObject({ type: 'event', name: 'containers.changed' });
      expect(journalRows(dir, "type = 'container.stop'")).toBe(stopsBefore + 1); // journaled once, by the app
      expect(await runCli(['start', name, '--data-dir', dir], 30_000, NO_ENGINE)).toMatchObject({ code: 0 });
      expect((await d.getContainer(name).inspect()).State.Running).toBe(true);
    } finally {
      await ws.close();
    }
  });

  it('mlenv logs -f follows through the app and stops with a clear error when the app dies', async () => {
    const dir2 = tmpDataDir();
    const s = await served(dir2);
    const follow = spawn(process.execPath, [path.resolve('dist/main/cli.js'), 'logs', '-f', name, '--data-dir', dir2], { env: { ...process.env, ...NO_ENGINE } });
    let out = '';
    let err = '';
    follow.stdout.on('data', (b: Buffer) => (out += b.toString()));
    follow.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const exited = new Promise<number | null>((r) => follow.once('exit', r));
    await waitFor(() => out.includes('hello-out'), 15_000, 'the followed lines');
    await killHard(s.proc);
    expect(await exited).toBe(1);
    expect(err).toContain(`mlenv: the running app (pid ${s.pid}) closed the connection; it may have quit or crashed\n`);
  });

  it('an app that dies in the middle of mlenv stop: the CLI says so in one sentence and does not do it itself', async () => {
    const dir3 = tmpDataDir();
    // PID 1 without an init ignores SIGTERM: the engine waits the whole -t before it kills.
    const stubborn = `mlenv-t-ctl-stubborn-${RUN}`;
    await (await d.createContainer({ name: stubborn, Image: TEST_IMAGE, Cmd: ['sleep', '300'], Labels: { ...testLabels, 'io.mlenv.managed': 'true' } })).start();
    const s = await served(dir3);
    const events = await d.getEvents({ filters: { container: [stubborn], event: ['kill'] } });
    const sigterm = new Promise<void>((resolve) => events.on('data', () => resolve()));
    const cli = runCli(['stop', '-t', '60', stubborn, '--data-dir', dir3], 30_000);
    await sigterm; // the app has asked the engine to stop it and is waiting
    (events as unknown as { destroy(): void }).destroy();
    await killHard(s.proc);
    expect(await cli).toEqual({
      code: 1,
      stdout: '',
      stderr: `mlenv: ${stubborn}: the running app (pid ${s.pid}) closed the connection before answering containers.stop; it may have quit or crashed\n`,
    });
  });

  it('with no app running, the read-only commands run on a core of their own that writes nothing', async () => {
    const alone = tmpDataDir();
    openDatabase(alone).close();
    const before = journalRows(alone);
    expect((await runCli(['ps', '--data-dir', alone])).code).toBe(0);
    expect((await runCli(['logs', name, '--data-dir', alone])).code).toBe(0);
    expect((await runCli(['health', name, '--data-dir', alone])).code).toBe(0);
    expect(journalRows(alone)).toBe(before);
    const mtime = statSync(path.join(alone, DB_FILE)).mtimeMs;
    expect((await runCli(['ps', '--data-dir', alone])).code).toBe(0);
    expect(statSync(path.join(alone, DB_FILE)).mtimeMs).toBe(mtime); // opened read-only: not a byte written
  });
});
