// The Docker figures need the test image (scripts/test-image.sh builds it offline from
// busybox-static). Missing, it is built here; when that cannot be done, one line says what to run.
import type Docker from 'dockerode';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** A setup problem worded for a person: bench/run.ts prints its message alone, without a stack. */
export class BenchSetupError extends Error {}

/**
 * Resolves once `image` exists on the engine, building it with scripts/test-image.sh (run from the
 * project root, as `npm run bench` does) when it is missing. Throws BenchSetupError with the command
 * to run when the engine is unreachable or the build fails.
 */
export async function ensureTestImage(docker: Docker, image: string, root = process.cwd()): Promise<void> {
  try {
    await docker.ping();
  } catch (e) {
    throw new BenchSetupError(`Docker is not reachable (${(e as Error).message}): start dockerd, or run \`npm run bench -- --only sampler\``);
  }
  try {
    await docker.getImage(image).inspect();
    return;
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode !== 404) throw e;
  }
  const script = path.join(root, 'scripts', 'test-image.sh');
  const run = `MLENV_TEST_IMAGE=${image} scripts/test-image.sh`;
  if (!existsSync(script)) throw new BenchSetupError(`the test image ${image} is missing: run \`${run}\` from the project folder`);
  process.stderr.write(`bench: the test image ${image} is missing, building it with scripts/test-image.sh\n`);
  const r = spawnSync('bash', [script], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, MLENV_TEST_IMAGE: image } });
  if (r.status !== 0) throw new BenchSetupError(`the test image ${image} is missing and could not be built: install busybox-static, then run \`${run}\``);
}
