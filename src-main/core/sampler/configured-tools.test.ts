// A configured nvidia-smi / tegrastats path through the whole app (real SQLite, the fixture tools):
// settings.update refuses what toolPathProblem refuses, a bad stored value is reported at start and
// never run, and a file that turns unsafe after it was accepted is refused at the tool's next start.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { tmpDataDir, waitFor } from '../../test-support';
import { VERSION } from '../../version';
import { createApp, type App } from '../app';
import { openDatabase } from '../store/db';

const BIN = path.resolve(__dirname, 'fixtures/bin');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'mlenv-tools-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let n = 0;
/** An own folder with a script named `name` that leaves `marker` behind when run, then runs the fixture tool. */
function script(name: 'nvidia-smi' | 'tegrastats', mode: number) {
  const dir = path.join(scratch, `case-${++n}`);
  mkdirSync(dir, { mode: 0o700 });
  const p = path.join(dir, name);
  const marker = path.join(dir, 'ran');
  writeFileSync(p, `#!/bin/sh\ntouch '${marker}'\nexec '${path.join(BIN, name)}' "$@"\n`);
  chmodSync(p, mode);
  return { path: p, marker };
}

describe('configured GPU tool paths', () => {
  let app: App | undefined;
  afterEach(async () => {
    await app?.dispose();
    app = undefined;
  });
  const start = async (dataDir: string, extraEnv: Record<string, string> = {}) => {
    app = createApp({ dataDir, version: VERSION, sampleIntervalMs: 250, persistMetrics: false, toolEnv: { ...process.env, PATH: `${BIN}:${process.env.PATH}`, ...extraEnv } });
    await app.start();
    return app;
  };

  it('settings.update refuses an unsafe path with INVALID_INPUT in one sentence, and runs an accepted one', async () => {
    const a = await start(tmpDataDir());
    const writable = script('nvidia-smi', 0o777);
    const refusals = [
      [writable.path, `the nvidia-smi path "${writable.path}" is refused: it is writable by its group or others (mode 0777).`],
      ['nvidia-smi', 'the nvidia-smi path "nvidia-smi" is refused: it is not an absolute path.'],
      ['/bin/sh', 'the nvidia-smi path "/bin/sh" is refused: its file name is "sh", not nvidia-smi.'],
    ] as const;
    for (const [p, message] of refusals) {
      expect(await a.router.dispatch('settings.update', { patch: { metrics: { nvidiaSmiPath: p } } })).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message } });
    }
    expect(await a.router.dispatch('settings.update', { patch: { metrics: { tegrastatsPath: '/usr/bin/env' } } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'the tegrastats path "/usr/bin/env" is refused: its file name is "env", not tegrastats.' },
    });
    expect(a.settings.get().metrics).toMatchObject({ nvidiaSmiPath: null, tegrastatsPath: null });
    expect(existsSync(writable.marker)).toBe(false);

    const good = script('nvidia-smi', 0o755);
    expect(await a.router.dispatch('settings.update', { patch: { metrics: { nvidiaSmiPath: good.path } } })).toMatchObject({ ok: true });
    await waitFor(() => (a.sampler.latest()?.gpus?.length ?? 0) === 2, 10_000, 'GPUs from the configured nvidia-smi');
    expect(existsSync(good.marker)).toBe(true);
  });

  it('reports a bad stored path at start (settings.invalid, GPU source status) and never runs it', async () => {
    const dataDir = tmpDataDir();
    const bad = script('nvidia-smi', 0o777);
    const db = openDatabase(dataDir);
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('metrics', ?, 0)").run(
      JSON.stringify({ rawRetentionDays: 7, rollupRetentionDays: 90, nvidiaSmiPath: bad.path, tegrastatsPath: null }),
    );
    db.close();
    const a = await start(dataDir);
    const refused = `the nvidia-smi path "${bad.path}" is refused: it is writable by its group or others (mode 0777)`;
    expect(a.events.recent().find((e) => e.type === 'settings.invalid')).toMatchObject({
      outcome: 'error',
      error: `${refused}; it will not be run until a valid path is saved`,
      details: { key: 'metrics', field: 'nvidiaSmiPath' },
    });
    const status = await waitFor(() => a.sampler.gpuStatus().error === refused && a.sampler.gpuStatus(), 10_000, 'the refusal as the GPU source status');
    expect(status).toEqual({ tool: 'nvidia-smi', state: 'absent', error: refused });
    await waitFor(() => a.events.recent().some((e) => e.type === 'gpu.absent' && e.error === refused), 5000, 'the refusal journaled');
    expect(existsSync(bad.marker)).toBe(false);
  });

  it('with no nvidia-smi on PATH (the null setting) the GPU source is absent, "not found", which is no failure', async () => {
    const empty = path.join(scratch, `case-${++n}`);
    mkdirSync(empty, { mode: 0o700 });
    app = createApp({ dataDir: tmpDataDir(), version: VERSION, sampleIntervalMs: 250, persistMetrics: false, toolEnv: { ...process.env, PATH: empty } });
    await app.start();
    const a = app;
    const status = await waitFor(() => /not found$/.test(a.sampler.gpuStatus().error ?? '') && a.sampler.gpuStatus(), 10_000, 'nvidia-smi not found');
    expect(status).toEqual({ tool: 'nvidia-smi', state: 'absent', error: 'nvidia-smi not found' });
    expect(a.events.recent(100).filter((e) => e.type.startsWith('gpu.') || e.type === 'settings.invalid')).toEqual([]);
  });

  it('checks again before every start: a file made writable after it was accepted is refused at the restart', async () => {
    const a = await start(tmpDataDir(), { MLENV_FAKE_GPU_DIE_AFTER: '2' });
    const tool = script('nvidia-smi', 0o755);
    // The configured tool's stream has started once: its `gpu.running` row, newer than any before the
    // switch (the journal keeps it; the state itself lasts only the fixture's two rounds).
    const mark = Math.max(0, ...a.events.recent(1000).map((e) => e.id));
    expect(await a.router.dispatch('settings.update', { patch: { metrics: { nvidiaSmiPath: tool.path } } })).toMatchObject({ ok: true });
    await waitFor(() => a.events.recent(1000).some((e) => e.id > mark && e.type === 'gpu.running'), 10_000, 'the configured nvidia-smi running');
    chmodSync(tool.path, 0o777);
    rmSync(tool.marker);
    const refused = `the nvidia-smi path "${tool.path}" is refused: it is writable by its group or others (mode 0777)`;
    // The fixture dies after two rounds; the restart finds the file changed and does not run it.
    await waitFor(() => a.sampler.gpuStatus().error === refused, 15_000, 'the restart refused');
    expect(a.sampler.gpuStatus().state).toBe('absent');
    expect(existsSync(tool.marker)).toBe(false);
  });
});
