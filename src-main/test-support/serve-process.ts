// `mlenv serve` as a real process on a given data folder (the built dist/main/cli.js, see buildCli),
// for the tests of what the CLI and a second owner see of it.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll } from 'vitest';
import { CLI } from './index';

export interface Served {
  proc: ChildProcess;
  pid: number;
  /** The printed address, with its token. */
  url: string;
  /** http://127.0.0.1:PORT */
  origin: string;
  token: string;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
}

const running = new Set<ChildProcess>();
afterAll(() => {
  for (const p of running) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
});

/**
 * Starts `mlenv serve --port 0 --data-dir <dataDir>`. Resolves once it prints its address, or with
 * its exit code and stderr when it exits first (refused, failed); killed after the test file.
 */
export function spawnServe(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<Served | { code: number | null; stderr: string }> {
  const proc = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', dataDir], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(proc);
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => {
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^MLEnv serving at (\S+)$/m.exec(out);
      if (!m) return;
      const url = new URL(m[1]!);
      resolve({ proc, pid: proc.pid!, url: m[1]!, origin: url.origin, token: url.searchParams.get('token')!, stderr: () => stderr });
    });
    proc.once('exit', (code) => resolve({ code, stderr }));
  });
}

/** Ends a served process with SIGTERM (its own shutdown runs) and resolves with its exit code, or the signal that ended it. */
export function stopServe(s: Served): Promise<number | NodeJS.Signals | null> {
  if (s.proc.exitCode !== null || s.proc.signalCode !== null) return Promise.resolve(s.proc.exitCode ?? s.proc.signalCode);
  const exited = new Promise<number | NodeJS.Signals | null>((r) => s.proc.once('exit', (code, signal) => r(code ?? signal)));
  s.proc.kill('SIGTERM');
  return exited;
}
