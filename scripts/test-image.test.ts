// scripts/test-image.sh's busybox check is the first thing CI runs: it must not fail at random.
// Before, `busybox --help | head -1 | grep -q` under `set -o pipefail` failed about 1 run in 15
// (busybox killed by SIGPIPE once head had its line). The check now reads the output whole.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureTestImage } from '../bench/test-image';
import { realDocker } from '../src-main/test-support';

const SCRIPT = path.resolve(__dirname, 'test-image.sh');
const bash = (body: string, env: NodeJS.ProcessEnv = process.env) => spawnSync('/bin/bash', ['-c', `. '${SCRIPT}'; ${body}`], { encoding: 'utf8', env });
const busybox = spawnSync('bash', ['-c', 'command -v busybox'], { encoding: 'utf8' }).stdout.trim();
const empty = mkdtempSync(path.join(os.tmpdir(), 'mlenv-nobusybox-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

describe('scripts/test-image.sh: find_busybox', () => {
  // CI installs busybox-static: there the check must run, never skip.
  it.skipIf(!busybox && !process.env.CI)('finds busybox 200 times out of 200', () => {
    const r = bash('n=0; for i in $(seq 200); do found=$(find_busybox) && [ "$found" = "$(command -v busybox)" ] && n=$((n+1)); done; echo "$n"');
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('200');
  });

  it('says in one line what to install when there is no busybox, or when it is not BusyBox', () => {
    const none = bash('find_busybox', { ...process.env, PATH: empty });
    expect(none.status).toBe(1);
    expect(none.stderr).toBe('busybox-static is not installed (apt-get install busybox-static)\n');
    symlinkSync('/bin/true', path.join(empty, 'busybox')); // a "busybox" that is something else
    const other = bash('find_busybox', { ...process.env, PATH: empty });
    expect(other.status).toBe(1);
    expect(other.stderr).toBe('busybox-static is not installed (apt-get install busybox-static)\n');
  });

  it('defines its functions without building anything when sourced', () => {
    const r = bash('type -t main find_busybox', { ...process.env, MLENV_TEST_IMAGE: 'mlenv-test/never-built:x' });
    expect(r.stdout).toBe('function\nfunction\n');
  });
});

const docker = await realDocker();

describe('npm run bench: the test image', () => {
  it.skipIf(!docker || !busybox)('is built with scripts/test-image.sh when missing', async () => {
    const d = docker as Docker;
    const image = `mlenv-test/bench-check-${process.pid}:latest`;
    try {
      await ensureTestImage(d, image, path.resolve(__dirname, '..'));
      expect((await d.getImage(image).inspect()).RepoTags).toEqual([image]);
    } finally {
      await d.getImage(image).remove().catch(() => undefined);
    }
  });

  it('says in one line what to run when it cannot be built, or when Docker is not there', async () => {
    const image = 'mlenv-test/never-built:x';
    if (docker) {
      await expect(ensureTestImage(docker, image, empty)).rejects.toThrow(`the test image ${image} is missing: run \`MLENV_TEST_IMAGE=${image} scripts/test-image.sh\` from the project folder`);
    }
    await expect(ensureTestImage(new Docker({ socketPath: path.join(empty, 'no-docker.sock') }), image)).rejects.toThrow(
      /^Docker is not reachable \(.*ENOENT.*\): start dockerd, or run `npm run bench -- --only sampler`$/,
    );
  });
});
