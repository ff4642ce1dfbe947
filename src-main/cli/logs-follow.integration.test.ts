// `mlenv logs -f` with the built CLI against the real engine: the terminal is the follow's
// connection, so its lines reach it (and it ends when the container does).
import type Docker from 'dockerode';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, realDocker, runCli, TEST_IMAGE, tmpDataDir } from '../test-support';
import { call, removeTestContainers, RUN, startApp, testLabels } from '../test-support/docker-app';

const docker = await realDocker();

describe.skipIf(!docker)('mlenv logs -f', () => {
  afterAll(() => removeTestContainers(docker as Docker));

  it('prints every followed line on its own stream and exits 0 when the container ends', async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
    const name = `mlenv-t-follow-cli-${RUN}`;
    // Launched through the app's own gate (its own data folder); the CLI then embeds a core of its own.
    const app = await startApp(tmpDataDir(), docker as Docker);
    try {
      await call(app, 'containers.launch', {
        image: TEST_IMAGE,
        name,
        command: ['sh', '-c', 'for i in 1 2 3 4 5; do echo out-$i; echo err-$i >&2; sleep 0.2; done'],
        init: true,
        labels: testLabels,
      });
    } finally {
      await app.dispose();
    }
    const r = await runCli(['logs', '-f', '--tail', '100', name, '--data-dir', tmpDataDir()], 30_000);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('out-1\nout-2\nout-3\nout-4\nout-5\n');
    expect(r.stderr.split('\n').filter((l) => l.startsWith('err-'))).toEqual(['err-1', 'err-2', 'err-3', 'err-4', 'err-5']);
  });
});
