// One-click launch against the real engine: the catalog's nvidia/pytorch with its image present
// (plan: catalog entry, host facts, a free name; then the lifecycle gate: create, start, inspect,
// journal, recent launches) vs `docker run -d` with the very flags of that plan, in the same run.
import Docker from 'dockerode';
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { dockerRunArgs } from '@shared/docker-run-line';
import { createApp } from '../../src-main/core/app';
import { gpusAnswered } from '../../src-main/core/catalog/launch';
import { buildJupyterImage } from '../../src-main/test-support/registry-fixture';
import { VERSION } from '../../src-main/version';
import { compare, interleaved, median, timed, type BenchContext, type Figures } from '../report';
import { ensureTestImage } from '../test-image';

const BASE = process.env.MLENV_TEST_IMAGE ?? 'mlenv-test/busybox:latest';
const LABEL = 'io.mlenv.bench';
const REPOSITORY = 'nvidia/pytorch';
// A mirror that is never reached: the image is tagged under its name here, so nothing is pulled.
const MIRROR = 'mlenv-bench.invalid:5000';
const run = promisify(execFile);

async function cleanup(docker: Docker, tag: string) {
  const ids = (await docker.listContainers({ all: true, filters: { label: [`${LABEL}=${tag}`] } })).map((c) => c.Id);
  if (ids.length) await run('docker', ['rm', '-f', ...ids]);
}

export async function launchFigures(ctx: BenchContext): Promise<Figures> {
  const docker = new Docker();
  await ensureTestImage(docker, BASE);
  const tag = `${process.pid}`;
  const labels = { [LABEL]: tag };
  const dataDir = ctx.tmpDir();
  const projectDir = path.join(dataDir, 'project');
  mkdirSync(projectDir);
  const app = createApp({ dataDir, version: VERSION, docker, persistMetrics: false });
  await app.engine.recheck();
  // The sampler runs as in the app (admission and the plan read it); the plan waits for the GPU source's first answer.
  await app.sampler.start();
  for (const end = Date.now() + 15_000; !gpusAnswered(await app.sampler.tick()) && Date.now() < end; ) await new Promise((r) => setTimeout(r, 100));
  app.settings.update({ catalog: { registryMirror: MIRROR }, launch: { projectDir } });
  // This machine's momentary CPU and load are not what is measured: admission's CPU and load limits are opened, its other checks run as shipped.
  const policy = await app.router.dispatch('admission.setPolicy', { patch: { thresholds: { cpuMaxPercent: 100, loadMaxPerCore: 1000 } } });
  if (!policy.ok) throw new Error(`admission policy: ${policy.error.message}`);
  // The bench's label, remembered for the repository as Customise… would: both paths run the same flags.
  // (The plan itself keeps memlock within what this engine can grant: NVIDIA's -1, or dockerd's own limit.)
  app.repositories.launchPrefs.savePrefs(REPOSITORY, { labels }, 0);
  const first = await app.launcher.plan({ repository: REPOSITORY });
  const image = first.image;
  const memlock = first.spec.ulimits?.find((u) => u.Name === 'memlock')?.Hard ?? -1;
  await buildJupyterImage(docker, BASE, image, labels);
  const figures: Figures = {};
  try {
    const rounds = ctx.quick ? 4 : 15;
    let flags = '';
    const { ours, baseline: cli } = await interleaved(rounds, {
      ours: () => timed(() => app.launcher.launch({ repository: REPOSITORY }, 'one-click')),
      baseline: async () => {
        // The same launch as a docker command: the plan's own line (the next free name, every flag the same).
        const { spec } = await app.launcher.plan({ repository: REPOSITORY });
        const args = dockerRunArgs(spec);
        flags = args.slice(2, args.indexOf(spec.image)).filter((w) => w.startsWith('-')).join(' ');
        return timed(() => run(args[0]!, args.slice(1)));
      },
      after: () => cleanup(docker, tag),
    });
    figures['launch.one_click_ms'] = {
      ...compare(median(ours), median(cli), 'ms', { text: 'ratio <= 1.1', met: (r) => r <= 1.1 }),
      note: `median of ${rounds} interleaved rounds, image present, JupyterLab stand-in; baseline: \`docker run -d\` with the plan's flags (${flags}), including the CLI process${memlock === -1 ? '' : `; memlock=${memlock} (this engine cannot raise it to -1)`}`,
    };
  } finally {
    await cleanup(docker, tag);
    await docker.getImage(image).remove({ force: true }).catch(() => undefined);
    await app.dispose();
  }
  return figures;
}
