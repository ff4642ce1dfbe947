// Starts `mlenv serve` as a real process on a temporary data folder, for one spec file.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Served {
  /** The printed address, `http://127.0.0.1:PORT/?token=…`: its first load trades the token for the session cookie. */
  url: string;
  base: string;
  port: number;
  /** For `Authorization: Bearer` (scripts, /metrics); the API takes it nowhere else. */
  token: string;
  dataDir: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

const CLI = path.resolve('dist/main/cli.js');

export async function startServe(extraArgs: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Served> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mlenv-e2e-'));
  // Admission as shipped (enforce; memory, disk and GPU checks), with the CPU and load limits opened:
  // how busy the test machine is while Chromium runs is not what a spec tests.
  execFileSync(process.execPath, [CLI, 'admission', 'set', 'cpuMaxPercent=100', 'loadMaxPerCore=1000', '--data-dir', dataDir], { stdio: 'ignore', env: { ...process.env, ...env } });
  const proc = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', dataDir, ...extraArgs], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start in 20 s:\n${stderr}`)), 20_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^MLEnv serving at (\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    proc.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${stderr}`)));
  });
  const parsed = new URL(url);
  return {
    url,
    base: parsed.origin,
    port: Number(parsed.port),
    token: parsed.searchParams.get('token')!,
    dataDir,
    proc,
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
