// catalog.* through the app's own router (composition in core/app.ts): the contract's validation, the
// handlers, the settings slice followed live (the registry mirror changes the pull names at once),
// and the NGC API key kept in the secret store, never in mlenv.db.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CatalogImage, CatalogSearchResult, CatalogStatus } from '@shared/contract';
import { tmpDataDir } from '../test-support';
import { createApp } from '../core/app';

describe('catalog requests through the router', () => {
  const dir = tmpDataDir();
  const app = createApp({ dataDir: dir, version: 'test', persistMetrics: false });
  afterAll(() => app.dispose());
  const call = async <T>(name: string, input: unknown) => (await app.router.dispatch(name, input)) as { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

  it('searches the shipped catalog and refuses what the contract does not allow', async () => {
    const r = await call<CatalogSearchResult>('catalog.search', { text: 'pytorch' });
    expect(r.ok && r.value.hits[0]).toMatchObject({ repository: 'nvidia/pytorch', match: 'exact', pullName: 'nvcr.io/nvidia/pytorch' });
    expect(await call('catalog.search', { text: 'x'.repeat(201) })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await call('catalog.get', { repository: 'Not/A Repo' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await call('catalog.get', { repository: 'acme/none' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await call('catalog.import', { json: '[]' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('The catalog file was not imported: (the top level)') } });
  });

  it('follows the registry mirror setting at once', async () => {
    expect(await call('settings.update', { patch: { catalog: { registryMirror: 'http://127.0.0.1:5000' } } })).toMatchObject({ ok: true });
    const r = await call<CatalogImage>('catalog.get', { repository: 'nvidia/pytorch' });
    expect(r.ok && r.value.pullName).toBe('127.0.0.1:5000/nvidia/pytorch');
    expect(app.settings.get().catalog).toMatchObject({ ngcApiUrl: 'https://api.ngc.nvidia.com', registry: 'nvcr.io', registryMirror: 'http://127.0.0.1:5000', cacheTtlHours: 24 });
    expect(await call('settings.update', { patch: { catalog: { registryMirror: 'not a host/' } } })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('keeps the NGC API key out of the database and the answers', async () => {
    expect(await call('catalog.setApiKey', { key: 'nvapi-router-secret' })).toEqual({ ok: true, value: { set: true } });
    const s = await call<CatalogStatus>('catalog.status', {});
    expect(s.ok && s.value.apiKeySet).toBe(true);
    expect(JSON.stringify(s)).not.toContain('nvapi-router-secret');
    app.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(readFileSync(path.join(dir, 'mlenv.db')).includes('nvapi-router-secret')).toBe(false);
    expect(await call('catalog.clearApiKey', {})).toEqual({ ok: true, value: { removed: true } });
  });
});
