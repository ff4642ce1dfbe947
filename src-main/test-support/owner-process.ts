// A separate process that owns a data folder through the real owner.ts (as the desktop app or a CLI
// command would), for the tests of what another process sees: refusals that name it, and its lock
// going away with it when it is killed.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll } from 'vitest';
import type { OwnerClaim } from '../core/owner';

const ROOT = path.resolve(__dirname, '../..');
// Inside the repository, so that better-sqlite3 (left external) resolves from node_modules.
const BUNDLE = path.join(ROOT, 'node_modules', '.cache', 'mlenv-tests', `owner-process-${process.pid}.mjs`);

const ENTRY = `
import { acquireOwner } from './src-main/core/owner.ts';
const [dataDir, claim] = [process.argv[2], JSON.parse(process.argv[3])];
try {
  globalThis.owner = acquireOwner(dataDir, { ...claim, version: 'test' }); // held as long as it is referenced
  process.stdout.write('owned\\n');
} catch (e) {
  process.stdout.write('refused: ' + e.message + '\\n');
  process.exit(1);
}
setInterval(() => undefined, 1 << 30);
`;

let built: Promise<unknown> | undefined;
const children = new Set<ChildProcess>();
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(BUNDLE, { force: true });
});

/**
 * Starts a process that owns `dataDir` as `claim` and stays until killed. Resolves once it owns the
 * folder (the process), or with its one-line refusal when another process owns it.
 */
export async function ownerProcess(dataDir: string, claim: OwnerClaim): Promise<{ proc: ChildProcess; pid: number } | { refused: string }> {
  built ??= (mkdirSync(path.dirname(BUNDLE), { recursive: true }),
  build({
    stdin: { contents: ENTRY, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile: BUNDLE,
    logLevel: 'warning',
    absWorkingDir: ROOT,
  }));
  await built;
  const proc = spawn(process.execPath, [BUNDLE, dataDir, JSON.stringify(claim)], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(proc);
  const line = await new Promise<string>((resolve) => {
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    proc.once('exit', (code) => resolve(`exited with ${code}: ${out}`));
  });
  if (line === 'owned') return { proc, pid: proc.pid! };
  return { refused: line.replace(/^refused: /, '') };
}

/** Kills `proc` with SIGKILL (no cleanup of its own runs) and resolves once it is gone. */
export function killHard(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  const gone = new Promise<void>((r) => proc.once('exit', () => r()));
  proc.kill('SIGKILL');
  return gone;
}
