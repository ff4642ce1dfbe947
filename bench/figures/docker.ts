// Docker figures against the real engine: our create+start vs `docker run -d` in the same run,
// listing 50 containers (vs the raw engine call), and the cost of one health evaluation.
import Docker from 'dockerode';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DEFAULT_ADMISSION_POLICY, DEFAULT_SETTINGS, launchSchema } from '@shared/contract';
import { createApp } from '../../src-main/core/app';
import { evaluate, type HealthFacts } from '../../src-main/core/health/evaluate';
import { VERSION } from '../../src-main/version';
import { compare, interleaved, median, round, timed, type BenchContext, type Figures } from '../report';
import { ensureTestImage } from '../test-image';

const IMAGE = process.env.MLENV_TEST_IMAGE ?? 'mlenv-test/busybox:latest';
const LABEL = 'io.mlenv.bench';
const run = promisify(execFile);

async function cleanup(docker: Docker, tag: string) {
  const list = await docker.listContainers({ all: true, filters: { label: [`${LABEL}=${tag}`] } });
  // Sequential: parallel removals on a 2-core box would slow the next measurement's engine.
  for (const c of list) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
}

export async function dockerFigures(ctx: BenchContext): Promise<Figures> {
  const docker = new Docker();
  await ensureTestImage(docker, IMAGE);
  const tag = `${process.pid}`;
  const app = createApp({ dataDir: ctx.tmpDir(), version: VERSION, docker, persistMetrics: false });
  // Launches pass admission on this machine's figures; CPU and load opened, since a busy bench machine would refuse, not slow, them.
  app.repositories.admission.savePolicy(JSON.stringify({ ...DEFAULT_ADMISSION_POLICY, thresholds: { ...DEFAULT_ADMISSION_POLICY.thresholds, cpuMaxPercent: 100, loadMaxPerCore: 1000 } }), Date.now(), 'user');
  await app.engine.recheck();
  const engine = app.docker.engines.get();
  const figures: Figures = {};
  try {
    // create + start: ours (the lifecycle gate: validated spec → admit → create → start → inspect → journal) vs the CLI, interleaved.
    const rounds = ctx.quick ? 4 : 15;
    const spec = () => launchSchema.parse({ image: IMAGE, command: ['sleep', '300'], init: true, labels: { [LABEL]: tag } });
    const { ours, baseline: cli } = await interleaved(rounds, {
      ours: () => timed(() => app.lifecycle.launch(engine, spec(), 'user')),
      baseline: () => timed(() => run('docker', ['run', '-d', '--init', '--label', `${LABEL}=${tag}`, '--label', 'io.mlenv.managed=true', IMAGE, 'sleep', '300'])),
      after: () => cleanup(docker, tag),
    });
    figures['docker.create_start_ms'] = {
      ...compare(median(ours), median(cli), 'ms', { text: 'ratio <= 1.1', met: (r) => r <= 1.1 }),
      note: `median of ${rounds} interleaved rounds; baseline: \`docker run -d --init\` of the same image (includes the CLI process, ≈ 40 ms)`,
    };

    // list with 50 containers: our containers.list (map, sort) vs the raw engine call.
    // Fixtures made straight on the engine (gate.test.ts allows this file that): only listing is measured.
    for (let i = 0; i < 50; i++) await docker.createContainer({ Image: IMAGE, Cmd: ['true'], Labels: { [LABEL]: tag, 'io.mlenv.managed': 'true', 'io.mlenv.project': 'bench' } });
    const n = ctx.quick ? 10 : 50;
    const listOurs: number[] = [];
    const listRaw: number[] = [];
    for (let i = 0; i < n + 2; i++) {
      let t0 = performance.now();
      const l = await app.docker.containers.list(engine, true);
      const a = performance.now() - t0;
      t0 = performance.now();
      await docker.listContainers({ all: true });
      const b = performance.now() - t0;
      if (l.length < 50) throw new Error(`expected at least 50 containers, listed ${l.length}`);
      if (i >= 2) {
        listOurs.push(a);
        listRaw.push(b);
      }
    }
    figures['docker.list_ms'] = {
      ...compare(median(listOurs), median(listRaw), 'ms'),
      note: `median of ${n}; 50+ containers on the engine; baseline: dockerode listContainers({ all: true }) alone`,
    };
  } finally {
    await cleanup(docker, tag);
    await app.dispose();
  }

  // health.evaluate: a mix of healthy, warning, critical and stopped facts.
  const s = DEFAULT_SETTINGS.health;
  const facts: HealthFacts[] = [
    { state: 'running', exitCode: null, oomKilled: false, stoppedOnPurpose: false, restartsInWindow: 0, dockerHealth: null, cpuPercent: 20, memoryPercent: 30, probe: null },
    { state: 'running', exitCode: null, oomKilled: false, stoppedOnPurpose: false, restartsInWindow: 1, dockerHealth: 'healthy', cpuPercent: 97, memoryPercent: 88, probe: { ok: true, kind: 'http', target: 'x', ms: 2 } },
    { state: 'exited', exitCode: 137, oomKilled: true, stoppedOnPurpose: false, restartsInWindow: 0, dockerHealth: null, cpuPercent: null, memoryPercent: null, probe: null },
    { state: 'exited', exitCode: 0, oomKilled: false, stoppedOnPurpose: true, restartsInWindow: 0, dockerHealth: null, cpuPercent: null, memoryPercent: null, probe: null },
  ];
  const iterations = ctx.quick ? 100_000 : 1_000_000;
  let sink = 0;
  for (let i = 0; i < 10_000; i++) sink += evaluate(facts[i % 4]!, s).reasons.length;
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) sink += evaluate(facts[i % 4]!, s).reasons.length;
  const us = ((performance.now() - t0) * 1000) / iterations;
  figures['health.evaluate_us'] = { value: round(us, 3), unit: 'µs per container', note: `mean over ${iterations} calls on a mix of verdicts (checksum ${sink % 997})` };
  return figures;
}
