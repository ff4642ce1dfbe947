// `mlenv catalog …` as a user runs it (the built CLI in its own process), with NGC and nvcr.io
// replayed on 127.0.0.1 (settings catalog.ngcApiUrl and catalog.registryMirror point there).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogDocument, CatalogSearchResult } from '@shared/contract';
import { buildCli, runCli, tmpDataDir } from '../test-support';
import { startNgcReplay, type NgcReplay } from '../test-support/ngc-replay';
import { openDatabase } from '../core/store/db';
import { createEventLog } from '../core/store/events';
import { createRepositories } from '../core/store/repositories';
import { createSettingsStore } from '../core/store/settings';

let replay: NgcReplay;
beforeAll(async () => {
  buildCli();
  replay = await startNgcReplay();
}, 120_000);
afterAll(() => replay?.close());

/** A data folder whose catalog settings point at the replay server. */
function dataDir(): string {
  const dir = tmpDataDir();
  const db = openDatabase(dir);
  createSettingsStore(createRepositories(db).settings, createEventLog(db)).update({ catalog: { ngcApiUrl: replay.url, registryMirror: replay.url, requestTimeoutMs: 2000 } });
  db.close();
  return dir;
}
const cli = (dir: string, ...args: string[]) => runCli(['catalog', ...args, '--data-dir', dir], 30_000);

describe('mlenv catalog', () => {
  it('searches the shipped catalog, refreshes from NGC, lists tags from the registry', async () => {
    const dir = dataDir();
    const seed = await cli(dir, 'search', 'pytorch');
    expect(seed.code).toBe(0);
    expect(seed.stdout.split('\n')[1]).toMatch(/^nvidia\/pytorch\s+PyTorch\s+25\.12-py3\s/);
    expect(seed.stdout).toMatch(/25 images, shipped catalog of 2026-03-01 \(never refreshed from NGC\)/);

    const refreshed = await cli(dir, 'refresh');
    expect(refreshed).toMatchObject({ code: 0 });
    expect(refreshed.stdout).toMatch(/^25 images, refreshed from NGC \d{4}-/);

    const json = JSON.parse((await cli(dir, 'search', 'pyt', '--json')).stdout) as CatalogSearchResult;
    expect(json.hits[0]).toMatchObject({ repository: 'nvidia/pytorch', match: 'prefix', source: 'ngc', pullName: `${replay.host}/nvidia/pytorch` });

    const tags = await cli(dir, 'tags', 'nvidia/pytorch');
    expect(tags.code).toBe(0);
    expect(tags.stdout).toMatch(/^25\.12-py3\s+9\.8 GiB\s+2025-12-19\s+amd64,arm64/m); // config + layers of the replayed manifest
    expect(tags.stdout).not.toMatch(/\.sig/);
  });

  it('says offline with the reason, exit 1, and keeps the catalog', async () => {
    const dir = dataDir();
    replay.fault('/v2/search/', 'html');
    try {
      const r = await cli(dir, 'refresh');
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^25 images, offline — catalog from 2026-03-01: NGC \(127\.0\.0\.1:\d+\) answered HTTP 502 for \/v2\/search\/catalog\/resources\/CONTAINER with an HTML page\.$/m);
    } finally {
      replay.clearFaults();
    }
    expect((await cli(dir, 'search', 'pytorch')).stdout).toMatch(/^nvidia\/pytorch/m);
  });

  it('adds and removes a custom image, exports and imports, refuses a bad file with its location', async () => {
    const dir = dataDir();
    expect((await cli(dir, 'add', '127.0.0.1:5000/team/app:1.0', '--name', 'Team app', '--category', 'Team')).stdout).toBe('added 127.0.0.1:5000/team/app (pulls as 127.0.0.1:5000/team/app)\n');
    const file = path.join(dir, 'catalog.json');
    expect((await cli(dir, 'export', file)).code).toBe(0);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as CatalogDocument;
    expect(doc.images).toHaveLength(26);
    expect((await cli(dir, 'remove', '127.0.0.1:5000/team/app')).stdout).toBe('removed 127.0.0.1:5000/team/app\n');
    const gone = await cli(dir, 'remove', 'nvidia/pytorch');
    expect(gone).toMatchObject({ code: 1, stderr: expect.stringContaining('only images you added can be removed') });

    doc.images[3]!.architectures = ['mips' as never];
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify(doc));
    const refused = await cli(dir, 'import', bad, '--replace');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/The catalog file was not imported: images\[3\]\.architectures\[0\]: .+ Nothing was changed\./);
    expect((await cli(dir, 'import', file)).stdout).toBe('imported 26 images\n');
    expect((await cli(dir, 'search', 'team app')).stdout).toMatch(/^127\.0\.0\.1:5000\/team\/app\s+Team app/m);
  });

  it('refuses a mistyped command with the usage (exit 2)', async () => {
    const r = await cli(tmpDataDir(), 'search', 'x', '--arch', 'sparc');
    expect(r).toMatchObject({ code: 2, stderr: expect.stringContaining('--arch sparc: use one of amd64, arm64') });
  });
});
