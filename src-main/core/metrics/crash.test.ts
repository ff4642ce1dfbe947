import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { tmpDataDir } from '../../test-support';
import { DB_FILE, integrityCheck } from '../store/db';

const ROOT = path.resolve(__dirname, '../../..');
const BATCH = 2000;

describe('kill -9 during ingest', () => {
  it('leaves a database that passes integrity_check and loses at most one batch', async () => {
    const dir = tmpDataDir();
    const child = path.join(dir, 'ingest-child.cjs');
    await build({ entryPoints: [path.join(__dirname, 'fixtures/ingest-child.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: child, packages: 'external', absWorkingDir: ROOT, logLevel: 'error' });
    const data = path.join(dir, 'data');
    const proc = spawn(process.execPath, [child, data, String(BATCH)], { env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let reported = 0;
    await new Promise<void>((resolve, reject) => {
      proc.stdout.on('data', (d: Buffer) => {
        const all = [...d.toString().matchAll(/committed (\d+)/g)];
        if (all.length) reported = Number(all.at(-1)![1]);
        // Mid-stream, well into the run: kill without warning.
        if (reported >= 100 * BATCH && proc.exitCode === null) {
          proc.kill('SIGKILL');
          resolve();
        }
      });
      proc.once('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited ${code}: ${stderr}`))));
    });
    await new Promise((r) => (proc.exitCode !== null || proc.signalCode !== null ? r(undefined) : proc.once('exit', r)));

    const db = new Database(path.join(data, DB_FILE));
    try {
      expect(integrityCheck(db)).toEqual(['ok']);
      const rows = (db.prepare('SELECT COUNT(*) AS n FROM resource_metrics').get() as { n: number }).n;
      // Every batch reported as committed is there; at most the one in flight (and the report of it) is missing.
      expect(rows).toBeGreaterThanOrEqual(reported);
      expect(rows % BATCH).toBe(0); // whole batches only: a transaction is all or nothing
      const rollupCount = (db.prepare('SELECT SUM(count) AS n FROM resource_metrics_1m').get() as { n: number }).n;
      expect(rollupCount).toBe(rows); // rollups committed with their rows, never apart
    } finally {
      db.close();
    }
  });
});
