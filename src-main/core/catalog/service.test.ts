// The catalog service against NGC and nvcr.io replayed on 127.0.0.1 (test-support/ngc-replay.ts, from
// the recorded shapes in ./fixtures), on real SQLite files: seeded at first start; refreshed in the
// background with progress; every wrong answer (HTML page, no answer, 429, body cut short, 401,
// nothing listening) leaves the catalog as it was, says "offline" with one sentence and is journaled;
// tags from NGC's tag list and from a registry through the token flow; gated images; the API key kept
// out of the database; custom images; export → import and a refused import. The clock is the test's.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CatalogDocument, CatalogStatus } from '@shared/contract';
import { AppError } from '@shared/errors';
import { tmpDataDir } from '../../test-support';
import { catalogEntry, readOnlyCatalog, testCatalog } from '../../test-support/catalog';
import { DB_FILE, openDatabase } from '../store/db';
import { startNgcReplay, type NgcReplay, type ReplayFault } from '../../test-support/ngc-replay';
import { SEED_AS_OF, SEED_ENTRIES } from './seed';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const HOUR = 3_600_000;
let replay: NgcReplay;
beforeAll(async () => {
  replay = await startNgcReplay();
});
afterAll(() => replay.close());
beforeEach(() => replay.clearFaults());

const setup = (settings = {}) => testCatalog(tmpDataDir(), T0, { ngcApiUrl: replay.url, ...settings });
const journal = (t: ReturnType<typeof setup>, type: string) => t.events.recent(200).filter((e) => e.type === type);
const images = (doc: CatalogDocument) => doc.images;
async function refreshed(t: ReturnType<typeof setup>) {
  t.catalog.refresh({});
  await t.catalog.settled();
  return t.catalog.status();
}

describe('seed at first start', () => {
  it('ships 25 images keyed by repository, estimates flagged, status "seed"', () => {
    const t = setup();
    const s = t.catalog.status();
    expect(s).toMatchObject({ dataSource: 'seed', lastRefreshAt: null, offline: false, images: 25, stale: true, dataAsOf: SEED_AS_OF, apiKeySet: false });
    expect(new Date(SEED_AS_OF).toISOString()).toBe('2026-03-01T00:00:00.000Z'); // the newest date in the shipped file
    const pytorch = t.catalog.search({ text: 'nvidia/pytorch', limit: 1, offset: 0 }).hits[0]!;
    expect(pytorch).toMatchObject({ repository: 'nvidia/pytorch', source: 'seed', latestTag: '25.12-py3', compressedSize: 10519125052, sizeEstimated: false, framework: true, jupyterLab: true });
    const tf = t.repositories.catalog.get('nvidia/tensorflow')!;
    expect([tf.sizeEstimated, tf.updatedAtEstimated, tf.versions[0]!.sizeEstimated]).toEqual([true, true, true]);
    expect(t.repositories.catalog.get('nim/meta/llama-3.1-8b-instruct')!.gated).toBe(true);
    expect(t.repositories.catalog.get('nvidia/l4t-base')).toMatchObject({ jetson: true, architectures: ['arm64'] });
  });

  it('seeds once: a second start leaves rows NGC or the user wrote alone', async () => {
    const dir = tmpDataDir();
    const first = testCatalog(dir, T0, { ngcApiUrl: replay.url });
    await refreshed(first);
    const before = first.catalog.exportDocument();
    first.db.close();
    const again = testCatalog(dir, T0 + HOUR, { ngcApiUrl: replay.url });
    expect(again.catalog.exportDocument()).toEqual({ ...before, exportedAt: T0 + HOUR });
  });
});

describe('a read-only core (the read-only CLI commands) writes no seed', () => {
  const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

  it('no mlenv.db yet: the shipped catalog is read from memory and no file is created', async () => {
    const dir = tmpDataDir();
    const r = readOnlyCatalog(dir, T0);
    expect(r.catalog.status()).toMatchObject({ dataSource: 'seed', images: SEED_ENTRIES.size, dataAsOf: SEED_AS_OF });
    expect(r.catalog.search({ text: 'pytorch', limit: 1, offset: 0 }).hits[0]).toMatchObject({ repository: 'nvidia/pytorch', source: 'seed' });
    expect((await r.catalog.get('nvidia/pytorch')).latestTag).toBe(SEED_ENTRIES.get('nvidia/pytorch')!.latestTag);
    r.close();
    expect(existsSync(path.join(dir, DB_FILE))).toBe(false);
  });

  it('an mlenv.db whose catalog was never seeded: the shipped catalog is read, the file is left byte for byte as it was', async () => {
    const dir = tmpDataDir();
    openDatabase(dir).close();
    const file = path.join(dir, DB_FILE);
    const before = digest(file);
    const r = readOnlyCatalog(dir, T0);
    expect((await r.catalog.get('nvidia/pytorch')).repository).toBe('nvidia/pytorch');
    expect(r.catalog.categories().length).toBeGreaterThan(0);
    expect(r.repositories.catalog.count()).toBe(0); // the stored catalog is still empty
    expect(r.scratchTaken()).toBe(1);
    r.close();
    expect(digest(file)).toBe(before);
  });

  it('a seeded catalog is read as stored, the images the user added included', async () => {
    const dir = tmpDataDir();
    const w = testCatalog(dir, T0);
    w.repositories.catalog.put([catalogEntry('127.0.0.1:5000/team/tool', { source: 'custom' })]);
    w.db.close();
    const r = readOnlyCatalog(dir, T0);
    expect((await r.catalog.get('127.0.0.1:5000/team/tool')).source).toBe('custom');
    expect(r.catalog.status().images).toBe(SEED_ENTRIES.size + 1);
    expect(r.scratchTaken()).toBe(0);
    r.close();
  });

  it('refuses what would write, in one sentence', () => {
    const r = readOnlyCatalog(tmpDataDir(), T0);
    expect(() => r.catalog.refresh({})).toThrow("refreshing the catalog needs the app's own core; this one only reads.");
    r.close();
  });
});

describe('refresh from NGC', () => {
  it('reads every page of the CONTAINER group (not the duplicated _scored one) with a JSON q, in the background with progress', async () => {
    const t = setup();
    const from = replay.requests.length;
    const started = t.catalog.refresh({});
    expect(started.refresh).toMatchObject({ phase: 'searching NGC', startedAt: T0 });
    await t.catalog.settled();
    const searches = replay.requests.slice(from).filter((r) => r.path === '/v2/search/catalog/resources/CONTAINER');
    expect(searches.map((r) => JSON.parse(r.query.get('q')!))).toEqual([0, 1, 2].map((page) => ({ query: '*', page, pageSize: 100 })));
    const s = t.catalog.status();
    expect(s).toMatchObject({ dataSource: 'live', lastRefreshAt: T0, offline: false, offlineReason: null, refresh: null, images: 25, stale: false });
    // Progress: pages, then the tags of the shipped images, each a catalog.status event.
    const progress = t.seen.filter((e) => e.name === 'catalog.status').map((e) => (e.payload as CatalogStatus).refresh);
    expect(progress.at(-1)).toBeNull();
    const steps = progress.filter((p) => p !== null);
    expect(steps.map((p) => p!.done)).toEqual([...steps.map((p) => p!.done)].sort((a, b) => a - b));
    expect(steps.at(-1)).toMatchObject({ phase: expect.stringMatching(/^reading the tags of /), total: 3 + SEED_ENTRIES.size });
    expect(t.seen.some((e) => e.name === 'catalog.changed' && (e.payload as { reason: string }).reason === 'refresh')).toBe(true);
    expect(journal(t, 'catalog.refresh')[0]).toMatchObject({ outcome: 'ok', actor: 'user', details: { found: 24, written: 25, pages: 3, skipped: 0 } }); // 24 found, and the gated NIM marked
  });

  it('drops NSPECT- labels, keys by resourceId, and takes sizes, dates, popularity and tags from NGC', async () => {
    const t = setup();
    await refreshed(t);
    const pytorch = await t.catalog.get('nvidia/pytorch');
    expect(pytorch).toMatchObject({ source: 'ngc', labels: ['Deep Learning Frameworks', 'Training'], categories: ['Deep Learning Frameworks', 'Training'], popularity: 1000, latestTag: '25.12-py3' });
    expect(JSON.stringify(t.catalog.exportDocument())).not.toMatch(/NSPECT-/);
    // The tag list of the recording: newest first by date, this host's (amd64) size, no cosign tags.
    expect(pytorch.versions.map((v) => v.tag)).toEqual(['25.12-py3-igpu', '25.12-py3', '25.11-py3', '25.10-py3', '25.09-py3', '24.12-py3']);
    expect(pytorch.versions[1]).toMatchObject({ compressedSize: 10519125052, sizeEstimated: false, architectures: ['amd64', 'arm64'], signed: true, updatedAt: Date.parse('2025-12-19T20:11:05.000Z') });
    expect((await t.catalog.get('nvidia/jax')).versions.map((v) => v.tag)).toEqual(['25.08-py3']); // the .sig tag beside it is not offered
    // A team repository keeps its three-part key; the estimate of the seed is replaced by NGC's figure.
    expect(t.repositories.catalog.get('nvidia/tensorrt-llm/release')).toMatchObject({ team: 'tensorrt-llm', sizeEstimated: false });
    // Hidden from guests (404 anonymously): still listed, gated.
    expect(t.repositories.catalog.get('nim/meta/llama-3.1-8b-instruct')).toMatchObject({ gated: true, source: 'seed' });
  });

  it('does not ask NGC again while its answers are fresh (ifStale), and asks again when they are old', async () => {
    const t = setup();
    await refreshed(t);
    const n = replay.requests.length;
    expect(t.catalog.refresh({ ifStale: true }).refresh).toBeNull();
    expect(replay.requests.length).toBe(n);
    t.clock.t = T0 + 25 * HOUR;
    expect(t.catalog.status().stale).toBe(true);
    t.catalog.refresh({ ifStale: true });
    await t.catalog.settled();
    expect(replay.requests.length).toBeGreaterThan(n);
    expect(t.catalog.status().lastRefreshAt).toBe(T0 + 25 * HOUR);
  });
});

describe('offline: any wrong answer leaves the catalog as it was, says why in one sentence, and is journaled', () => {
  const cases: [ReplayFault, RegExp][] = [
    ['html', /^NGC \(127\.0\.0\.1:\d+\) answered HTTP 502 for \/v2\/search\/catalog\/resources\/CONTAINER with an HTML page\.$/],
    ['timeout', /^NGC \(127\.0\.0\.1:\d+\) did not answer within 0\.8 s\.$/],
    ['rate-limit', /^NGC \(127\.0\.0\.1:\d+\) is limiting requests \(HTTP 429\): try again in 120 s\.$/],
    ['truncated', /^NGC \(127\.0\.0\.1:\d+\) (closed the connection before its answer was complete|sent an answer to \/v2\/search\/catalog\/resources\/CONTAINER that is not complete JSON) \(.+\)\.$/],
    ['unauthorized', /^NGC \(127\.0\.0\.1:\d+\) refused \/v2\/search\/catalog\/resources\/CONTAINER without a sign-in \(HTTP 401\)\.$/],
  ];
  for (const [fault, sentence] of cases) {
    it(`${fault}`, async () => {
      const t = setup();
      await refreshed(t);
      const before = t.catalog.exportDocument();
      t.clock.t = T0 + 2 * HOUR;
      replay.fault('/v2/search/', fault);
      const s = await refreshed(t);
      expect(s).toMatchObject({ offline: true, offlineSince: T0 + 2 * HOUR, dataSource: 'cache', lastRefreshAt: T0, dataAsOf: T0, refresh: null });
      expect(s.offlineReason).toMatch(sentence);
      expect(t.catalog.exportDocument()).toEqual({ ...before, exportedAt: T0 + 2 * HOUR });
      expect(journal(t, 'catalog.refresh')[0]).toMatchObject({ outcome: 'error', error: s.offlineReason });
      // Search keeps working from what was stored.
      expect(t.catalog.search({ text: 'pytorch', limit: 1, offset: 0 }).hits[0]!.repository).toBe('nvidia/pytorch');
    });
  }

  it('429: no request goes to NGC before Retry-After has passed', async () => {
    const t = setup();
    replay.fault('/v2/search/', 'rate-limit', { retryAfter: '120' });
    const s = await refreshed(t);
    expect(s.retryNotBefore).toBe(T0 + 120_000);
    const n = replay.requests.length;
    expect(t.catalog.refresh({}).refresh).toBeNull();
    expect(replay.requests.length).toBe(n);
    replay.clearFaults();
    t.clock.t = T0 + 121_000;
    const after = await refreshed(t);
    expect(after).toMatchObject({ offline: false, retryNotBefore: null, lastRefreshAt: T0 + 121_000 });
  });

  it('nothing listening: offline from the seed, the seed kept', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as net.AddressInfo;
        s.close(() => resolve(port));
      });
    });
    const t = setup({ ngcApiUrl: `http://127.0.0.1:${closed}` });
    const before = t.catalog.exportDocument();
    const s = await refreshed(t);
    expect(s).toMatchObject({ offline: true, dataSource: 'seed', dataAsOf: SEED_AS_OF });
    expect(s.offlineReason).toBe(`NGC (127.0.0.1:${closed}) could not be reached (ECONNREFUSED).`);
    expect(t.catalog.exportDocument()).toEqual(before);
  });

  it('a failure after some pages were read writes none of them', async () => {
    const t = setup();
    const before = t.catalog.exportDocument();
    replay.fault('/v2/repos/nvidia/jax/images', 'html', { status: 200 });
    const s = await refreshed(t);
    expect(s.offlineReason).toMatch(/answered \/v2\/repos\/nvidia\/jax\/images with an HTML page instead of JSON/);
    expect(t.catalog.exportDocument()).toEqual(before);
    expect(t.repositories.catalog.get('nvidia/pytorch')!.source).toBe('seed');
  });
});

describe('tags', () => {
  it("from NGC's tag list, read once and then kept for the TTL", async () => {
    const t = setup();
    const tags = await t.catalog.tags('nvidia/pytorch', true);
    expect(tags).toMatchObject({ source: 'live', fetchedAt: T0, warning: null });
    expect(tags.versions.map((v) => v.tag)).toEqual(['25.12-py3-igpu', '25.12-py3', '25.11-py3', '25.10-py3', '25.09-py3', '24.12-py3']);
    expect(t.repositories.catalog.get('nvidia/pytorch')).toMatchObject({ latestTag: '25.12-py3', compressedSize: 10519125052, tagsFetchedAt: T0 });
    const n = replay.requests.length;
    expect((await t.catalog.tags('nvidia/pytorch', true)).source).toBe('cache');
    expect(replay.requests.length).toBe(n);
  });

  it('from the registry mirror: the 401 challenge, the anonymous token, sizes per architecture from the manifest list', async () => {
    const t = setup({ registryMirror: replay.url });
    const from = replay.requests.length;
    const tags = await t.catalog.tags('nvidia/pytorch', true);
    const seen = replay.requests.slice(from);
    expect(seen[0]).toMatchObject({ path: '/v2/nvidia/pytorch/tags/list', authorization: null });
    expect(seen[1]).toMatchObject({ path: '/proxy_auth' });
    expect(seen[1]!.query.get('scope')).toBe('repository:nvidia/pytorch:pull');
    expect(seen[2]).toMatchObject({ path: '/v2/nvidia/pytorch/tags/list', authorization: `Bearer ${JSON.parse(readFileSync(path.join(__dirname, 'fixtures/nvcr-token.json'), 'utf8')).token}` });
    expect(seen.filter((r) => r.path === '/proxy_auth')).toHaveLength(1); // the token is reused
    // The .sig tag is gone; every tag has both architectures, sized config + layers.
    const size = 41234 + 29536256 + 3120000000 + 4210000000 + 3169550000;
    expect(tags.versions.map((v) => v.tag)).toEqual(['25.12-py3', '25.12-py3-igpu', '25.11-py3', '25.10-py3', '25.09-py3', '24.12-py3']);
    expect(tags.versions[0]).toMatchObject({ compressedSize: size, architectures: ['amd64', 'arm64'], updatedAt: Date.parse('2025-12-19T20:11:05Z') });
    expect(tags.versions[0]!.variants.map((v) => v.digest)).toEqual([`sha256:${'1'.repeat(64)}`, `sha256:${'2'.repeat(64)}`]);
    expect((await t.catalog.get('nvidia/pytorch')).pullName).toBe(`${replay.host}/nvidia/pytorch`);
  });

  it('a gated repository: "NGC sign-in required" and where to put the key; with the key it reads, and the key never reaches the database', async () => {
    const t = setup();
    const repo = 'nim/meta/llama-3.1-8b-instruct';
    const before = t.repositories.catalog.get(repo);
    const refused = await t.catalog.tags(repo, true);
    expect(refused.warning).toBe('NGC sign-in required for nim/meta/llama-3.1-8b-instruct: store your NGC API key (nvapi-…) in Settings → Catalog, or run `mlenv catalog api-key`.');
    expect(refused.versions).toEqual(before!.versions);
    expect(t.repositories.catalog.get(repo)).toEqual(before);
    expect(journal(t, 'catalog.tags')[0]).toMatchObject({ outcome: 'error', error: refused.warning, details: { repository: repo, kind: 'auth' } });

    t.catalog.setApiKey('nvapi-test-key');
    expect(t.catalog.status().apiKeySet).toBe(true);
    const read = await t.catalog.tags(repo, true);
    expect(read).toMatchObject({ source: 'live', warning: null });
    expect(read.versions.map((v) => v.tag)).toEqual(['1.2.2']);
    expect(replay.requests.at(-1)!.authorization).toBe('Bearer nvapi-test-key');
    t.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(readFileSync(path.join(t.dir, 'mlenv.db')).includes('nvapi-test-key')).toBe(false);
    expect(JSON.stringify(t.events.recent(500))).not.toContain('nvapi-test-key');
    expect(t.catalog.clearApiKey()).toEqual({ removed: true });
    expect(t.catalog.status().apiKeySet).toBe(false);
  });

  it('a registry that refuses the sign-in: where to add a login, by the Settings section’s own title', async () => {
    const t = setup({ registryMirror: replay.url });
    replay.fault('/proxy_auth', 'unauthorized');
    const refused = await t.catalog.tags('nvidia/pytorch', true);
    expect(refused.warning).toBe(`Registry ${replay.host} requires a sign-in for nvidia/pytorch: add a login for ${replay.host} in Settings → Registry credentials.`);
  });

  it('a failed read answers what was stored, with the sentence, and writes nothing', async () => {
    const t = setup();
    replay.fault('/v2/repos/nvidia/pytorch/images', 'timeout');
    const before = t.repositories.catalog.get('nvidia/pytorch');
    const tags = await t.catalog.tags('nvidia/pytorch', true);
    expect(tags).toMatchObject({ source: 'catalog', fetchedAt: null, versions: before!.versions });
    expect(tags.warning).toMatch(/^NGC \(127\.0\.0\.1:\d+\) did not answer within 0\.8 s\.$/);
    expect(t.repositories.catalog.get('nvidia/pytorch')).toEqual(before);
  });

  it('an unknown repository is refused', async () => {
    await expect(setup().catalog.tags('acme/none', true)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('image detail', () => {
  it("reads NGC's Markdown overview when asked live, and keeps the stored entry when NGC fails", async () => {
    const t = setup();
    expect((await t.catalog.get('nvidia/pytorch')).description).toBe('');
    const live = await t.catalog.get('nvidia/pytorch', true);
    expect(live.description).toMatch(/^## What Is PyTorch\?/);
    expect(live.labels).toEqual(expect.arrayContaining(['DL', 'PyTorch', 'NVIDIA AI Enterprise Supported']));
    const other = setup();
    replay.fault('/v2/repos/nvidia/pytorch', 'html');
    const kept = await other.catalog.get('nvidia/pytorch', true);
    expect(kept.description).toBe('');
    expect(journal(other, 'catalog.detail')[0]).toMatchObject({ outcome: 'error' });
  });
});

describe('custom images', () => {
  it('adds an image from any registry, keyed with its registry, and removes it', () => {
    const t = setup();
    const added = t.catalog.add({ reference: '127.0.0.1:5000/team/app:1.0', displayName: 'Team app', description: 'Our training image.\n\nMore.', category: 'Team', jupyterLab: true, framework: false });
    expect(added).toMatchObject({ repository: '127.0.0.1:5000/team/app', registry: '127.0.0.1:5000', pullName: '127.0.0.1:5000/team/app', source: 'custom', summary: 'Our training image.', latestTag: '1.0', categories: ['Team'] });
    expect(added.versions.map((v) => v.tag)).toEqual(['1.0']);
    expect(t.catalog.search({ text: 'team app', limit: 5, offset: 0 }).hits.map((h) => h.repository)).toEqual(['127.0.0.1:5000/team/app']);
    expect(t.catalog.add({ reference: 'python:3.12', description: '', jupyterLab: false, framework: false }).repository).toBe('docker.io/library/python');
    expect(t.catalog.remove('127.0.0.1:5000/team/app', 'cli')).toEqual({ removed: true });
    expect(t.repositories.catalog.get('127.0.0.1:5000/team/app')).toBeUndefined();
    expect(journal(t, 'catalog.remove')[0]).toMatchObject({ actor: 'cli', details: { repository: '127.0.0.1:5000/team/app' } });
  });

  it('refuses a malformed reference, an NGC repository already listed, and removing what NGC lists', () => {
    const t = setup();
    const err = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e as AppError;
      }
      throw new Error('expected a refusal');
    };
    expect(err(() => t.catalog.add({ reference: 'Bad Ref', description: '', jupyterLab: false, framework: false }))).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('is not an image reference') });
    expect(err(() => t.catalog.add({ reference: 'nvcr.io/nvidia/pytorch:25.12-py3', description: '', jupyterLab: false, framework: false }))).toMatchObject({
      code: 'CONFLICT',
      message: 'nvidia/pytorch is already in the catalog (from the shipped catalog).',
    });
    expect(err(() => t.catalog.remove('nvidia/pytorch'))).toMatchObject({ code: 'CONFLICT' });
    expect(t.catalog.remove('acme/none')).toEqual({ removed: false });
  });
});

describe('export and import', () => {
  it('round-trips the whole catalog through JSON', async () => {
    const t = setup();
    await refreshed(t);
    t.catalog.add({ reference: '127.0.0.1:5000/team/app:1.0', description: 'x', jupyterLab: false, framework: false });
    const doc = t.catalog.exportDocument();
    expect(doc).toMatchObject({ format: 'mlenv-catalog', version: 1, exportedAt: T0 });
    const other = setup();
    expect(other.catalog.importDocument(JSON.stringify(doc), 'replace')).toEqual({ imported: 26, removed: 0 });
    expect(images(other.catalog.exportDocument())).toEqual(images(doc));
    expect(journal(other, 'catalog.import')[0]).toMatchObject({ outcome: 'ok', details: { mode: 'replace', imported: 26, removed: 0 } });
  });

  it('replace removes entries the file does not have; merge keeps them', () => {
    const t = setup();
    const doc = t.catalog.exportDocument();
    const one = { ...doc, images: doc.images.filter((i) => i.repository === 'nvidia/pytorch') };
    t.catalog.add({ reference: '127.0.0.1:5000/team/app', description: '', jupyterLab: false, framework: false });
    expect(t.catalog.importDocument(JSON.stringify(one), 'merge')).toEqual({ imported: 1, removed: 0 });
    expect(t.catalog.status().images).toBe(26);
    expect(t.catalog.importDocument(JSON.stringify(one), 'replace')).toEqual({ imported: 1, removed: 25 });
    expect(t.catalog.status().images).toBe(1);
  });

  it('refuses a bad file whole, naming its first error, and leaves the catalog unchanged', () => {
    const t = setup();
    const doc = t.catalog.exportDocument();
    const bad = structuredClone(doc);
    bad.images.unshift({ ...structuredClone(doc.images[0]!), repository: 'acme/new-one', source: 'custom' });
    bad.images[4]!.versions[0]!.tag = 'not a tag!';
    const refuse = (text: string) => {
      try {
        t.catalog.importDocument(text, 'replace');
      } catch (e) {
        return e as AppError;
      }
      throw new Error('expected a refusal');
    };
    const e = refuse(JSON.stringify(bad));
    expect(e).toMatchObject({ code: 'INVALID_INPUT', message: 'The catalog file was not imported: images[4].versions[0].tag: a tag such as 25.12-py3. Nothing was changed.' });
    expect(t.catalog.exportDocument()).toEqual(doc);
    expect(t.repositories.catalog.get('acme/new-one')).toBeUndefined();
    expect(journal(t, 'catalog.import')[0]).toMatchObject({ outcome: 'error', error: e.message, details: { mode: 'replace', location: { location: 'images[4].versions[0].tag' } } });
    const twice = structuredClone(doc);
    twice.images.push(structuredClone(doc.images[2]!));
    expect(refuse(JSON.stringify(twice)).message).toBe(`The catalog file was not imported: images[25].repository: ${doc.images[2]!.repository} is listed twice (also at images[2]). Nothing was changed.`);
    expect(refuse('{"format":"mlenv-catalog",').message).toMatch(/^The catalog file was not imported: line 1, column 27: not valid JSON/);
    expect(t.catalog.exportDocument()).toEqual(doc);
  });
});
