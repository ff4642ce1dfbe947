// One-click launch on the real engine, as a new user meets it: the catalog's nvidia/pytorch, served by
// a registry on 127.0.0.1 set as the registry mirror (the test image with a stand-in `jupyter`, pushed
// as nvidia/pytorch:<the seed's tag>), is planned, pulled with progress and launched through the gate:
// a running container with the catalog's labels, --ipc=host, NVIDIA's ulimits, JupyterLab on a port of
// 127.0.0.1 and its link, and the project folder. This engine has no NVIDIA runtime (and no GPU), so
// the plan is a host-without-GPU plan; GPU defaults are unit-tested (src-shared/one-click.test.ts).
// Where the engine cannot raise memlock to unlimited (a rootless or sandboxed dockerd, as here: no
// CAP_SYS_RESOURCE, an 8 MiB hard limit), the plan itself sets the engine's limit, read from dockerd's
// /proc files, and says so; the engine refuses anything above it, so a plan that ignored it fails here.
import type Docker from 'dockerode';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { LaunchPlan, PullProgress } from '@shared/contract';
import { buildCli, realDocker, refusal, runCli, TEST_IMAGE, tmpDataDir, waitFor } from '../../test-support';
import { call, startApp, testLabels } from '../../test-support/docker-app';
import { FAKE_JUPYTER_TOKEN, pushJupyterImage, startRegistry } from '../../test-support/registry-fixture';
import type { App } from '../app';
import { memlockMax, readEngineLimits } from '../docker/engine-limits';
import { engineTransport } from '../docker/engine-registry';
import { pullDiskBytes } from '../admission/host-checks';
import { bytes } from '../admission/words';
import { gpusAnswered } from './launch';

const docker = await realDocker();

describe.skipIf(!docker)('catalog launch', () => {
  const d = docker as Docker;
  let app: App | undefined;
  let registry: Awaited<ReturnType<typeof startRegistry>>;
  let dataDir: string;
  let projectDir: string;
  let plan: LaunchPlan;
  /** -1 where the engine's dockerd can grant NVIDIA's memlock=-1, else its hard limit in bytes, as /proc shows them. */
  let memlock: number;

  /** Every container this run launched from the catalog: its image lives on this run's registry. */
  const ours = async () => (await d.listContainers({ all: true, filters: { label: ['io.mlenv.catalog'] } })).filter((c) => c.Image.startsWith(`${registry.host}/`));

  beforeAll(async () => {
    registry = await startRegistry();
    memlock = memlockMax(readEngineLimits(engineTransport(d).socketPath)) ?? -1;
    dataDir = tmpDataDir();
    projectDir = path.join(dataDir, 'my proj');
    mkdirSync(projectDir);
    app = await startApp(dataDir, d);
    // The sampler's GPU source answers once (no nvidia-smi here: none), so the plan knows the GPUs.
    await waitFor(async () => gpusAnswered(await app!.sampler.tick()), 15_000, 'the GPU source to answer');
    await call(app, 'settings.update', { patch: { catalog: { registryMirror: `http://${registry.host}` }, launch: { projectDir } } });
    // The catalog's size is nvcr.io's (over 10 GB); the mirror serves a small stand-in. The disk check audits, so that a small disk records its figures instead of refusing.
    await call(app, 'admission.setPolicy', { patch: { checks: { disk_free: 'audit' } } });
    plan = await call(app, 'catalog.plan', { repository: 'nvidia/pytorch' });
    await pushJupyterImage(d, TEST_IMAGE, plan.image, registry.host, testLabels);
  }, 120_000);
  afterAll(async () => {
    for (const c of await ours().catch(() => [])) await d.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
    if (plan) await d.getImage(plan.image).remove({ force: true }).catch(() => undefined);
    await app?.dispose();
    await registry?.stop();
  });

  it('plans the newest tag for this host from the mirror, without GPUs here, with NVIDIA’s flags, Jupyter and the project folder', async () => {
    expect(plan.repository).toBe('nvidia/pytorch');
    expect(plan.image).toBe(`${registry.host}/nvidia/pytorch:${plan.tag}`);
    expect(plan.pulled).toBe(false);
    expect(plan.pullBytes).toBeGreaterThan(0);
    expect(plan.spec.gpus).toBeUndefined();
    expect(plan.notes).toContain('No NVIDIA GPU on this host: the container starts without GPUs.');
    expect(plan.notes.some((n) => n.startsWith(`${plan.image} is not on engine Local yet: Launch pulls it first`))).toBe(true);
    expect(plan.spec).toMatchObject({ ipc: 'host', interactive: true, init: true, project: 'my-proj', labels: { 'io.mlenv.catalog': 'nvidia/pytorch' } });
    expect(plan.dockerRun).toBe(
      `docker run -d --name pytorch-1 -it --init --ipc host --ulimit memlock=${memlock} --ulimit stack=67108864 -p 127.0.0.1::8888 -v '${projectDir}:/workspace/my proj' ` +
        `--label io.mlenv.catalog=nvidia/pytorch --label io.mlenv.managed=true --label io.mlenv.project=my-proj ${plan.image} jupyter lab --ip=0.0.0.0 --port=8888 --allow-root --no-browser`,
    );
    if (memlock !== -1) {
      // The limit read from dockerd's /proc files is the engine's: a container started without --ulimit inherits it (sh's ulimit -l counts KiB).
      const { stdout } = await promisify(execFile)('docker', ['run', '--rm', ...Object.entries(testLabels).flatMap(([k, v]) => ['--label', `${k}=${v}`]), TEST_IMAGE, 'sh', '-c', 'ulimit -H -l']);
      expect(Number(stdout.trim()) * 1024).toBe(memlock);
    }
    // Told in one sentence where the engine holds memlock down; not a word where it does not.
    const told = plan.notes.filter((n) => n.includes('locked-memory limit'));
    if (memlock === -1) expect(told).toEqual([]);
    else expect(told).toEqual([expect.stringMatching(/^This Docker engine cannot lift the locked-memory limit \(memlock\), so it is set to \d+(\.\d)? [KMGT]?i?B, the engine’s own limit; .* Run dockerd with a higher LimitMEMLOCK to lift it\.$/)]);
  });

  it('pulls with progress and launches through the gate: labels, ipc host, ulimits, Jupyter on 127.0.0.1 with its link, the project mounted', async () => {
    const seen: PullProgress[] = [];
    const off = app!.bus.on('pull.progress', (p) => p.ref === plan.image && seen.push(p));
    const c = await call(app!, 'catalog.launch', { repository: 'nvidia/pytorch' });
    off();
    expect(seen.at(-1)).toMatchObject({ done: true });
    expect(c).toMatchObject({ name: 'pytorch-1', state: 'running', image: plan.image, managed: true, project: 'my-proj', ipcMode: 'host', gpus: [] });
    expect(c.labels).toMatchObject({ 'io.mlenv.catalog': 'nvidia/pytorch', 'io.mlenv.project': 'my-proj', 'io.mlenv.managed': 'true' });
    // Admission was told the pull: the catalog's download size, counted with its extraction against Docker's data root.
    const [decision] = await call(app!, 'admission.decisions', { container: c.id, limit: 1 });
    expect(decision!.request.pullBytes).toBe(plan.pullBytes);
    const disk = decision!.checks.find((x) => x.id === 'disk_free')!;
    expect(disk.sentence).toContain(`(a ${bytes(plan.pullBytes!)} download, compressed, + about ${bytes(2 * plan.pullBytes!)} extracted)`);
    expect(disk.after).toBe(disk.observed! - pullDiskBytes(plan.pullBytes!));
    expect(disk.status).toBe(disk.after! >= disk.limit! ? 'pass' : 'fail');
    expect(c.ulimits).toEqual([
      { Name: 'memlock', Soft: memlock, Hard: memlock },
      { Name: 'stack', Soft: 67108864, Hard: 67108864 },
    ]);
    // Inside, the container runs with that limit (sh's ulimit -l counts KiB).
    const { stdout } = await promisify(execFile)('docker', ['exec', c.id, 'sh', '-c', 'ulimit -S -l; ulimit -H -l']);
    const kib = memlock === -1 ? 'unlimited' : String(memlock / 1024);
    expect(stdout.trim().split('\n')).toEqual([kib, kib]);
    expect(c.mounts).toContainEqual({ source: projectDir, target: '/workspace/my proj', readOnly: false });
    const jupyterPort = c.ports.find((p) => p.containerPort === 8888)!;
    expect(jupyterPort.hostIp).toBe('127.0.0.1');
    expect(jupyterPort.hostPort).toBeGreaterThan(0); // chosen by the engine, read back after the start
    // "Open Jupyter": the link the server printed, on the port the engine chose.
    const link = await waitFor(async () => (await call(app!, 'containers.inspect', { id: c.id })).jupyter, 15_000, 'the Jupyter link');
    expect(link.url).toBe(`http://127.0.0.1:${jupyterPort.hostPort}/lab?token=${FAKE_JUPYTER_TOKEN}`);
    expect(await fetch(`http://127.0.0.1:${jupyterPort.hostPort}/`).then((r) => r.status)).toBe(200);
    // Journaled as a one-click launch, and listed for the tray's relaunch.
    const [row] = await call(app!, 'events.list', { type: 'container.launch', limit: 1 });
    expect(row).toMatchObject({ actor: 'one-click', outcome: 'ok', containerId: c.id });
    expect(await call(app!, 'catalog.recent', {})).toEqual([expect.objectContaining({ repository: 'nvidia/pytorch', tag: plan.tag, containerId: c.id, containerName: 'pytorch-1', engine: 'local' })]);
    // Now pulled; the next launch takes the next free name.
    const again = await call(app!, 'catalog.plan', { repository: 'nvidia/pytorch' });
    expect(again).toMatchObject({ pulled: true, spec: { name: 'pytorch-2' } });
  });

  it('remembers Customise… choices per repository, applies them to the next plan, and forgets them', async () => {
    const overrides = { name: 'my-torch', memory: '64m', cpus: '0.5', env: ['MODE=fast', 'HF_TOKEN=hf_secret'] };
    const c = await call(app!, 'catalog.launch', { repository: 'nvidia/pytorch', overrides, remember: true });
    expect(c).toMatchObject({ name: 'my-torch', state: 'running', memory: 64 * 1024 ** 2, nanoCpus: 500_000_000 });
    // Pulled now: admission was told there is nothing to pull.
    const [decision] = await call(app!, 'admission.decisions', { container: c.id, limit: 1 });
    expect(decision!.request.pullBytes).toBeNull();
    expect(decision!.checks.find((x) => x.id === 'disk_free')!.sentence).toContain('the image is on the engine: nothing to pull');
    const next = await call(app!, 'catalog.plan', { repository: 'nvidia/pytorch' });
    // The secret was not kept (secrets never go into the database), nor the name (the next launch takes a free one).
    expect(next).toMatchObject({ remembered: true, overrides: { memory: '64m', cpus: '0.5', env: ['MODE=fast'] }, spec: { memory: 64 * 1024 ** 2, name: 'pytorch-2' } });
    expect(next.overrides).not.toHaveProperty('name');
    expect(next.notes).toContain('These choices were remembered from your last Customise… launch of nvidia/pytorch.');
    expect(await call(app!, 'catalog.forgetLaunchOverrides', { repository: 'nvidia/pytorch' })).toEqual({ removed: true });
    expect(await call(app!, 'catalog.plan', { repository: 'nvidia/pytorch' })).toMatchObject({ remembered: false, overrides: null });
  });

  it('refuses, in one sentence, a tag the catalog does not know, a project folder that is gone, and an unknown repository', async () => {
    const tag = await refusal(call(app!, 'catalog.launch', { repository: 'nvidia/pytorch', tag: '99.99-py3' }));
    expect(tag).toMatchObject({ code: 'INVALID_INPUT' });
    expect(tag.message).toMatch(/^nvidia\/pytorch has no tag "99\.99-py3" in the catalog/);
    const gone = await refusal(call(app!, 'catalog.plan', { repository: 'nvidia/pytorch', projectDir: path.join(dataDir, 'nowhere') }));
    expect(gone.message).toBe(`the project folder ${path.join(dataDir, 'nowhere')} is not a folder on this machine: give an existing folder`);
    expect((await refusal(call(app!, 'catalog.plan', { repository: 'nvidia/no-such-image' }))).code).toBe('NOT_FOUND');
    expect((await refusal(call(app!, 'catalog.plan', { repository: 'nvidia/pytorch', overrides: { memory: 'lots' } }))).code).toBe('INVALID_INPUT');
  });

  it('mlenv launch --dry-run prints the docker run line and launches nothing; mlenv launch launches as cli', async () => {
    await app!.dispose(); // the commands below own the data folder themselves
    app = undefined;
    buildCli();
    const before = (await ours()).length;
    const dry = await runCli(['launch', 'nvidia/pytorch', '--dry-run', '--no-project', '--memory', '1g', '--data-dir', dataDir], 60_000);
    expect(dry.stderr).toContain('note: No NVIDIA GPU on this host: the container starts without GPUs.');
    expect(dry.stderr.includes('note: This Docker engine cannot lift the locked-memory limit (memlock)')).toBe(memlock !== -1);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(
      new RegExp(
        `^docker run -d --name pytorch-\\d+ -it --init --ipc host --ulimit memlock=${memlock} --ulimit stack=67108864 --memory 1g -p 127\\.0\\.0\\.1::8888 ` +
          `--label io\\.mlenv\\.catalog=nvidia/pytorch --label io\\.mlenv\\.managed=true --label io\\.mlenv\\.project=default ${plan.image.replaceAll('.', '\\.')} jupyter lab --ip=0\\.0\\.0\\.0 --port=8888 --allow-root --no-browser\\n$`,
      ),
    );
    expect((await ours()).length).toBe(before);
    const bad = await runCli(['launch', 'nvidia/pytorch:latest', '--dry-run', '--data-dir', dataDir], 60_000);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('is an NVIDIA framework image, which has no "latest" tag on nvcr.io');

    const run = await runCli(['launch', `nvcr.io/nvidia/pytorch:${plan.tag}`, '--data-dir', dataDir], 60_000);
    expect(run.stderr).not.toContain('mlenv:');
    expect(run.code).toBe(0);
    const name = run.stdout.trim();
    const launched = (await ours()).find((c) => c.Names.includes(`/${name}`));
    expect(launched?.State).toBe('running');
    expect(launched?.Labels['io.mlenv.project']).toBe('my-proj'); // the folder from the settings
    // Journaled with the CLI as the actor.
    app = await startApp(dataDir, d);
    const [row] = await call(app, 'events.list', { type: 'container.launch', limit: 1 });
    expect(row).toMatchObject({ actor: 'cli', outcome: 'ok', container: name });
  }, 120_000);
});
