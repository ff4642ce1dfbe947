// Tier figures against the real engine, with fake model servers made from the test image:
// - tiers.warm_to_hot_ms_p50: a warm model made hot through the API (tiers.move through the router:
//   job, admission, the gate's unpause, the cgroup check of the thaw, the records) against
//   the bare Engine API unpause of a paused container, interleaved in the same run;
// - tiers.proxy_overhead_ms_p50: a chat completion to a hot model through serve's /v1 proxy against
//   the same request straight to its server, sent by a client in its own process, alternating
//   (the median of the paired differences);
// - tiers.predictor_error_pct: the predictor's error (EWMA of |predicted − actual| ÷ actual) over
//   every move this run measured.
import Docker from 'dockerode';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { createApp } from '../../src-main/core/app';
import { startServer } from '../../src-main/serve/server';
import { fakeModelSpec } from '../../src-main/test-support/fake-model';
import { VERSION } from '../../src-main/version';
import { launchSchema } from '@shared/contract';
import { compare, median, round, type BenchContext, type Figures } from '../report';
import { ensureTestImage } from '../test-image';

const IMAGE = process.env.MLENV_TEST_IMAGE ?? 'mlenv-test/busybox:latest';
const LABEL = 'io.mlenv.bench';
const execFileAsync = promisify(execFile);

async function cleanup(docker: Docker, tag: string) {
  const list = await docker.listContainers({ all: true, filters: { label: [`${LABEL}=${tag}`] } });
  for (const c of list) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
}

// The paired client, run by `node --input-type=module -e`: its argument is the JSON of PairedRun.
const CLIENT = `
const cfg = JSON.parse(process.argv[1]);
const one = async (url, headers) => {
  const t0 = performance.now();
  const r = await fetch(url, { method: 'POST', headers, body: cfg.body });
  await r.arrayBuffer();
  if (r.status !== 200) throw new Error(url + ' answered ' + r.status);
  return performance.now() - t0;
};
const viaProxy = () => one(cfg.proxy, { Authorization: 'Bearer ' + cfg.token, 'Content-Type': 'application/json' });
const direct = () => one(cfg.direct, { 'Content-Type': 'application/json' });
const out = { proxied: [], direct: [] };
for (let i = 0; i < cfg.warmup + cfg.rounds; i++) {
  let p, d;
  if (i % 2 === 0) { p = await viaProxy(); d = await direct(); } else { d = await direct(); p = await viaProxy(); }
  if (i >= cfg.warmup) { out.proxied.push(p); out.direct.push(d); }
}
process.stdout.write(JSON.stringify(out));
`;

interface PairedRun {
  proxy: string;
  direct: string;
  token: string;
  body: string;
  rounds: number;
  warmup: number;
}

/** Runs the paired client in a child process; each round's time through the proxy and direct, ms. */
async function pairedClient(run: PairedRun): Promise<{ proxied: number[]; direct: number[] }> {
  const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', CLIENT, JSON.stringify(run)], { timeout: 180_000, maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as { proxied: number[]; direct: number[] };
}

export async function tiersFigures(ctx: BenchContext): Promise<Figures> {
  const docker = new Docker();
  await ensureTestImage(docker, IMAGE);
  const tag = `tiers-${process.pid}`;
  const dataDir = ctx.tmpDir();
  const app = createApp({ dataDir, version: VERSION, docker, persistMetrics: false, sampleIntervalMs: 60_000 });
  await app.start();
  const figures: Figures = {};
  const staticDir = path.join(dataDir, 'renderer');
  mkdirSync(staticDir, { recursive: true });
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html>');
  const token = 'bench-token-0123456789abcdef';
  const server = await startServer({ app, host: '127.0.0.1', port: 0, token, staticDir });
  const call = async <T>(name: string, input: unknown): Promise<T> => {
    const r = await app.router.dispatch(name, input);
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    return r.value as T;
  };
  try {
    await app.engine.recheck();
    // Figures of the tier path, not of this machine's load: CPU and load only record (memory still enforces).
    await call('admission.setPolicy', { patch: { checks: { cpu_percent: 'audit', load: 'audit' } } });
    await call('tiers.setLimits', { patch: { idleDemoteSeconds: null } });
    const names = [`bench-wake-${process.pid}`];
    await call('models.add', { model: fakeModelSpec(names[0]!, { image: IMAGE, mib: 32, labels: { [LABEL]: tag } }), tier: 'cold' });
    await call('tiers.move', { model: names[0], to: 'hot', wait: true });
    // The baseline's container: launched through the gate like any other, then paused and unpaused on the bare Engine API.
    const base = await app.lifecycle.launch(app.docker.engines.get(), launchSchema.parse({ image: IMAGE, command: ['sleep', '600'], init: true, labels: { [LABEL]: tag } }), 'user');
    const raw = docker.getContainer(base.id);

    // warm → hot: ours through the router vs the Engine API's unpause, interleaved.
    const rounds = ctx.quick ? 4 : 20;
    const ours: number[] = [];
    const engine: number[] = [];
    for (let i = 0; i < rounds + 1; i++) {
      await call('tiers.move', { model: names[0], to: 'warm', wait: true });
      let t0 = performance.now();
      const job = await call<{ state: string; error: string | null }>('tiers.move', { model: names[0], to: 'hot', wait: true });
      const a = performance.now() - t0;
      if (job.state !== 'done') throw new Error(`warm → hot did not complete: ${job.error}`);
      await raw.pause();
      t0 = performance.now();
      await raw.unpause();
      const b = performance.now() - t0;
      if (i > 0) {
        ours.push(a);
        engine.push(b);
      }
    }
    figures['tiers.warm_to_hot_ms_p50'] = {
      ...compare(median(ours), median(engine), 'ms', { text: '<= 20 ms', met: (_r, v) => v <= 20 }),
      note: `median of ${rounds} interleaved rounds of a 32 MiB fake model: tiers.move (job, admission, the gate's unpause with its inspects, the freezer and memory check, scaling event and journal rows) vs the Engine API's own unpause call alone`,
    };

    // The proxy's overhead: the same chat completion through /v1 and straight to the server, sent by
    // one client in a process of its own (so that it does not share this event loop with serve and
    // the proxy), the order alternating each round; the median of the paired differences.
    const hot = app.tiers.get(names[0]!);
    const body = JSON.stringify({ model: hot.name, messages: [{ role: 'user', content: 'hi' }] });
    const n = ctx.quick ? 30 : 100;
    const { proxied: viaProxy, direct } = await pairedClient({
      proxy: `http://127.0.0.1:${server.port}/v1/chat/completions`,
      direct: `http://127.0.0.1:${hot.hostPort}/v1/chat/completions`,
      token,
      body,
      rounds: n,
      warmup: 5,
    });
    const diffs = viaProxy.map((a, i) => a - direct[i]!);
    figures['tiers.proxy_overhead_ms_p50'] = {
      value: round(median(diffs)),
      unit: 'ms',
      baseline: round(median(direct)),
      goal: '<= 1 ms',
      met: median(diffs) <= 1,
      note: `median of ${n} paired differences (through serve's /v1 proxy with its Host and token checks, minus straight to the model server), sent by one client in its own process, the order alternating each round, after 5 rounds of warm-up; medians ${round(median(viaProxy))} ms proxied, ${round(median(direct))} ms direct (baseline)`,
    };

    const err = app.tiers.predictorErrorPct();
    figures['tiers.predictor_error_pct'] = {
      value: round(err, 1),
      unit: '%',
      note: `EWMA of |predicted − actual| ÷ actual over the ${1 + 2 * (rounds + 1)} moves this run measured (cold → hot, then warm ⇄ hot)`,
    };
  } finally {
    await server.close();
    await app.dispose();
    await cleanup(docker, tag);
  }
  return figures;
}
