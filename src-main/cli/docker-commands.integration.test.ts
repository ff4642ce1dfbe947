// The built `mlenv` CLI against the real engine: ps, logs, stop, start, rm and health, tables and --json.
import Docker from 'dockerode';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerHealth, ContainerSummary } from '@shared/contract';
import { realDocker, TEST_IMAGE, tmpDataDir, waitFor } from '../test-support';
import { removeTestContainers, RUN, seedTestAdmissionPolicy, testLabels } from '../test-support/docker-app';

const CLI = path.resolve('dist/main/cli.js');
const docker = await realDocker();

function mlenv(args: string[], dataDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args, '--data-dir', dataDir], (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe.skipIf(!docker)('mlenv ps / logs / stop / start / rm / health', () => {
  const d = docker as Docker;
  const name = `mlenv-t-cli-${RUN}`;
  let dataDir: string;

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
    dataDir = tmpDataDir();
    seedTestAdmissionPolicy(dataDir); // `mlenv start` passes admission: how busy this machine is is not under test here
    const c = await d.createContainer({
      name,
      Image: TEST_IMAGE,
      Cmd: ['sh', '-c', 'echo hello-out; echo hello-err >&2; sleep 300'],
      Labels: { ...testLabels, 'io.mlenv.managed': 'true', 'io.mlenv.project': 'cli' },
      HostConfig: { Init: true },
    });
    await c.start();
    // Both lines in the engine's log before `mlenv logs` is asked for them (not a fixed wait).
    await waitFor(async () => {
      const log = (await c.logs({ stdout: true, stderr: true, follow: false })).toString('latin1');
      return log.includes('hello-out') && log.includes('hello-err');
    }, 15_000, 'the container to print its two lines');
  });
  afterAll(() => removeTestContainers(docker as Docker));

  it('lists containers as a table and as JSON', async () => {
    const t = await mlenv(['ps'], dataDir);
    expect(t.code).toBe(0);
    expect(t.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+IMAGE\s+STATE\s+STATUS\s+PROJECT\s+PORTS$/);
    expect(t.stdout).toMatch(new RegExp(`${name}\\s+${TEST_IMAGE}\\s+running`));
    const j = JSON.parse((await mlenv(['ps', '--json'], dataDir)).stdout) as ContainerSummary[];
    expect(j.find((c) => c.name === name)).toMatchObject({ managed: true, project: 'cli', state: 'running' });
  });

  it('prints logs with stdout and stderr on their own streams', async () => {
    const r = await mlenv(['logs', name], dataDir);
    expect(r).toMatchObject({ code: 0, stdout: 'hello-out\n', stderr: 'hello-err\n' });
  });

  it('judges health, then refuses rm of a running container, stops, starts and removes it', async () => {
    const h = JSON.parse((await mlenv(['health', '--json'], dataDir)).stdout) as ContainerHealth[];
    expect(h.find((x) => x.name === name)).toMatchObject({ state: 'healthy' });
    const refused = await mlenv(['rm', name], dataDir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`container ${name} is running: stop it first, or remove it with force`);
    expect(await mlenv(['stop', '-t', '0', name], dataDir)).toMatchObject({ code: 0, stdout: `${name}\n` });
    expect((await d.getContainer(name).inspect()).State.Running).toBe(false);
    expect((await mlenv(['health', name], dataDir)).stdout).toMatch(new RegExp(`^${name} \\(\\w{12}\\): stopped\\n  - stopped on request`));
    expect((await mlenv(['start', name], dataDir)).code).toBe(0);
    expect((await d.getContainer(name).inspect()).State.Running).toBe(true);
    expect((await mlenv(['rm', '--force', name], dataDir)).code).toBe(0);
    await expect(d.getContainer(name).inspect()).rejects.toThrow(/no such container/i);
  });

  it('says what is wrong with how it was typed (exit 2)', async () => {
    expect(await mlenv(['logs'], dataDir)).toMatchObject({ code: 2, stderr: expect.stringContaining('name one container') });
    expect(await mlenv(['stop', '-t', 'soon', 'x'], dataDir)).toMatchObject({ code: 2, stderr: expect.stringContaining('-t soon: use whole seconds') });
    expect(await mlenv(['rm', 'no-such-container-' + RUN], dataDir)).toMatchObject({ code: 1, stderr: expect.stringContaining('no container "no-such-container-') });
  });
});
