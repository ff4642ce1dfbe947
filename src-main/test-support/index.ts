// Shared by the integration tests: temporary data folders and the real Docker engine.
// CI=true turns "not available here" into a failure; elsewhere the suite says it skipped.
import Docker from 'dockerode';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { AppError } from '@shared/errors';

/** Built by scripts/test-image.sh with `docker import` from busybox-static (nothing is pulled). */
export const TEST_IMAGE = process.env.MLENV_TEST_IMAGE ?? 'mlenv-test/busybox:latest';
/** Every container a test creates carries this label so a run can clean up after itself. */
export const TEST_LABEL = 'io.mlenv.test';

export function tmpDataDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mlenv-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * The real engine, or undefined with a plain message when there is none (then `describe.skipIf`).
 * Under CI the absence of the engine or the test image is an error, never a quiet skip.
 */
export async function realDocker(): Promise<Docker | undefined> {
  const docker = new Docker();
  try {
    await docker.ping();
    await docker.getImage(TEST_IMAGE).inspect();
    return docker;
  } catch (e) {
    const why = `Docker engine or test image ${TEST_IMAGE} not available (${(e as Error).message}); run scripts/test-image.sh with dockerd running`;
    if (process.env.CI) throw new Error(why);
    console.warn(`SKIPPED Docker tests: ${why}`);
    return undefined;
  }
}

export type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

/** Polls until fn gives something truthy (errors count as not yet), or fails naming what it waited for. */
export async function waitFor<T>(fn: () => T | Promise<T>, timeoutMs: number, what: string): Promise<Truthy<T>> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as Truthy<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const ROOT = path.resolve(__dirname, '../..');
/** The built `mlenv` (dist/main/cli.js); buildCli() makes it when a source is newer. */
export const CLI = path.join(ROOT, 'dist/main/cli.js');

export function buildCli(): void {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), '--if-needed'], { cwd: ROOT, stdio: 'ignore' });
}

/** Runs the built CLI as a user does, in its own process (with `env` added to this one's); killed after timeoutMs (code null then). */
export function runCli(args: string[], timeoutMs = 15_000, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The AppError a promise is refused with; fails the test when it resolves or throws something else. */
export async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}
