// The `mlenv` binary as a user runs it: the built dist/main/cli.js in a real process.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, CLI, runCli, tmpDataDir } from '../test-support';

beforeAll(buildCli, 120_000);
const run = runCli;

describe('mlenv CLI', () => {
  it('prints usage and its version', async () => {
    expect((await run(['--help'])).stdout).toContain('mlenv serve [--host 127.0.0.1]');
    expect((await run(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const unknown = await run(['frobnicate']);
    expect(unknown).toMatchObject({ code: 2, stderr: 'mlenv: unknown command "frobnicate"; run mlenv --help\n' });
  });

  it('serve prints exactly one line with the URL and its token, then serves', async () => {
    const p = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', tmpDataDir(), '--token', 'a-token-of-sixteen-chars']);
    const out = await new Promise<string>((resolve) => {
      let s = '';
      p.stdout.on('data', (d: Buffer) => {
        s += d.toString();
        if (s.endsWith('\n')) resolve(s);
      });
    });
    expect(out).toMatch(/^MLEnv serving at http:\/\/127\.0\.0\.1:\d+\/\?token=a-token-of-sixteen-chars\n$/);
    const url = new URL(out.trim().slice('MLEnv serving at '.length));
    expect((await fetch(`${url.origin}/healthz`)).status).toBe(200);
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('db check runs SQLite\'s integrity check on mlenv.db', async () => {
    const dir = tmpDataDir();
    const r = await run(['db', 'check', '--data-dir', dir]);
    expect(r).toMatchObject({ code: 0, stdout: `${path.join(dir, 'mlenv.db')}: ok\n` });
    expect((await run(['db', 'vacuum'])).code).toBe(2);
  });

  it('refuses a non-loopback host without an explicit token', async () => {
    const r = await run(['serve', '--host', '0.0.0.0', '--port', '0', '--data-dir', tmpDataDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('mlenv: --host 0.0.0.0 exposes the dashboard beyond this machine: give an explicit --token too\n');
  });

  it('serve answers to the --allow-host names and refuses a bad entry or limit in words', async () => {
    const bad = await run(['serve', '--port', '0', '--data-dir', tmpDataDir(), '--allow-host', 'not a host']);
    expect(bad).toMatchObject({ code: 2, stderr: 'mlenv: --allow-host not a host: give a host name or address, optionally with :PORT\n' });
    const p = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', tmpDataDir(), '--allow-host', 'gpu.lan', '--allow-host', 'proxy.example:8443'], {
      env: { ...process.env, MLENV_SERVE_HEADERS_TIMEOUT_MS: 'soon' },
    });
    const refused = await new Promise<string>((resolve) => {
      let s = '';
      p.stderr.on('data', (d: Buffer) => (s += d.toString()));
      p.once('exit', () => resolve(s));
    });
    expect(refused).toBe('mlenv: MLENV_SERVE_HEADERS_TIMEOUT_MS=soon: use a positive whole number\n');

    const ok = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', tmpDataDir(), '--allow-host', 'gpu.lan', '--allow-host', 'proxy.example:8443']);
    const out = await new Promise<string>((resolve) => {
      let s = '';
      ok.stdout.on('data', (d: Buffer) => {
        s += d.toString();
        if (s.endsWith('\n')) resolve(s);
      });
    });
    const port = Number(/:(\d+)\//.exec(out)![1]);
    const status = (host: string) =>
      new Promise<string>((resolve) => {
        const s = createConnection(port, '127.0.0.1');
        let text = '';
        s.on('data', (d: Buffer) => (text += d.toString()));
        s.on('close', () => resolve(text.split('\r\n')[0]!));
        s.write(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      });
    expect(await status('gpu.lan')).toBe('HTTP/1.1 200 OK');
    expect(await status('proxy.example:8443')).toBe('HTTP/1.1 200 OK');
    expect(await status('proxy.example')).toBe('HTTP/1.1 403 Forbidden');
    expect(await status(`evil.example:${port}`)).toBe('HTTP/1.1 403 Forbidden');
    const exited = new Promise((r) => ok.once('exit', r));
    ok.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('names a port already in use, and a data folder it cannot use', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const busy = await run(['serve', '--port', String(port), '--data-dir', tmpDataDir()]);
    blocker.close();
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain(`mlenv: port ${port} on 127.0.0.1 is already in use`);

    const file = path.join(tmpDataDir(), 'file');
    writeFileSync(file, '');
    const bad = await run(['serve', '--port', '0', '--data-dir', path.join(file, 'sub')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`mlenv: cannot use data folder ${path.join(file, 'sub')}: ENOTDIR`);
    expect((await run(['serve', '--port', 'eighty', '--data-dir', tmpDataDir()])).stderr).toContain('--port eighty: use a number from 0 to 65535');
  });
});
