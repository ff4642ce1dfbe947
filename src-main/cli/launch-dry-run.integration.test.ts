// `mlenv launch <repository> --dry-run` on a data folder whose catalog was never seeded: the dry run's
// core only reads (mlenv.db opened read-only, or no file at all), so the plan comes from the shipped
// catalog held in memory, and the folder is left exactly as it was. The built CLI, the real engine.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, realDocker, runCli, tmpDataDir } from '../test-support';
import { SEED_ENTRIES } from '../core/catalog/seed';
import { DB_FILE, openDatabase } from '../core/store/db';

const docker = await realDocker();
beforeAll(buildCli, 120_000);

/** Every file in `dir` with a digest of its bytes. */
const contents = (dir: string) => Object.fromEntries(readdirSync(dir).map((f) => [f, createHash('sha256').update(readFileSync(path.join(dir, f))).digest('hex')]));

/** sha256 of no bytes. */
const EMPTY = createHash('sha256').digest('hex');
const image = `nvcr.io/nvidia/pytorch:${SEED_ENTRIES.get('nvidia/pytorch')!.latestTag}`;
/** The one-click line for the shipped nvidia/pytorch on a host without GPUs and no project folder (memlock: whatever this engine grants). */
const RUN_LINE = new RegExp(
  `^docker run -d --name pytorch-\\d+ -it --init --ipc host --ulimit memlock=(-1|\\d+) --ulimit stack=67108864 -p 127\\.0\\.0\\.1::8888 ` +
    `--label io\\.mlenv\\.catalog=nvidia/pytorch --label io\\.mlenv\\.managed=true --label io\\.mlenv\\.project=default ${image.replaceAll('.', '\\.')} ` +
    'jupyter lab --ip=0\\.0\\.0\\.0 --port=8888 --allow-root --no-browser\\n$',
);

describe.skipIf(!docker)('mlenv launch --dry-run on a catalog never seeded', () => {
  it('a fresh data folder: prints the run line from the shipped catalog and creates nothing there', async () => {
    const dir = tmpDataDir();
    const r = await runCli(['launch', 'nvidia/pytorch', '--dry-run', '--data-dir', dir], 60_000);
    expect(r.stderr).not.toContain('mlenv:');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(RUN_LINE);
    expect(readdirSync(dir)).toEqual([]); // no mlenv.db, no -wal, no secrets file
  });

  it('an mlenv.db without catalog rows: the same line, and the file is left byte for byte as it was', async () => {
    const dir = tmpDataDir();
    openDatabase(dir).close();
    const before = contents(dir);
    expect(Object.keys(before)).toContain(DB_FILE);
    const r = await runCli(['launch', 'nvidia/pytorch', '--dry-run', '--data-dir', dir], 60_000);
    expect(r.stderr).not.toContain('mlenv:');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(RUN_LINE);
    const after = contents(dir);
    expect(after[DB_FILE]).toBe(before[DB_FILE]);
    // A reader of a WAL database leaves SQLite's shared-memory index (-shm) and an empty -wal beside it
    // (a read-only connection cannot remove them on close): no page was written there either.
    const { [DB_FILE]: _db, ...beside } = after;
    expect(Object.keys(beside).filter((f) => f !== `${DB_FILE}-shm` && f !== `${DB_FILE}-wal`)).toEqual([]);
    if (beside[`${DB_FILE}-wal`] !== undefined) expect(beside[`${DB_FILE}-wal`]).toBe(EMPTY);
  });
});
