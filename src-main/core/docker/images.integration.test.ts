// A real pull with progress from a registry on 127.0.0.1, its failure modes, image removal, and
// registry logins whose secret never reaches the database or the journal.
import type Docker from 'dockerode';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullProgress } from '@shared/contract';
import { AppError } from '@shared/errors';
import { realDocker, TEST_IMAGE, tmpDataDir } from '../../test-support';
import type { App } from '../app';
import { pushLayeredImage, startRegistry } from '../../test-support/registry-fixture';
import { SECRETS_FILE } from './secrets';
import { call, removeTestContainers, RUN, startApp, testLabels } from '../../test-support/docker-app';

const docker = await realDocker();

describe.skipIf(!docker)('images', () => {
  const d = docker as Docker;
  let app: App;
  let registry: Awaited<ReturnType<typeof startRegistry>>;
  let dataDir: string;
  let ref: string;

  beforeAll(async () => {
    registry = await startRegistry();
    ref = `${registry.host}/mlenv-test/layers:${RUN}`;
    await pushLayeredImage(d, TEST_IMAGE, ref, registry.host, 24, testLabels);
    dataDir = tmpDataDir();
    app = await startApp(dataDir, d);
  }, 120_000);
  afterAll(async () => {
    await d.getImage(ref).remove({ force: true }).catch(() => undefined);
    await removeTestContainers(d);
    await app?.dispose();
    await registry?.stop();
  });

  it('pulls a multi-layer image with per-layer and total progress events', async () => {
    const seen: PullProgress[] = [];
    const off = app.bus.on('pull.progress', (p) => p.ref === ref && seen.push(p));
    const final = await call(app, 'images.pull', { ref });
    off();
    expect(final.done).toBe(true);
    expect(final.error).toBeUndefined();
    const sized = final.layers.filter((l) => (l.total ?? 0) > 0);
    expect(sized.length).toBeGreaterThanOrEqual(2);
    expect(final.total).toBeGreaterThan(2 * 20 * 1024 ** 2); // two ~24 MiB layers (compressed random data stays that size)
    expect(final.current).toBe(final.total);
    // Progress arrived before the end, growing, with some layer part-way through.
    const partial = seen.filter((p) => !p.done);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.some((p) => p.layers.some((l) => l.status === 'Downloading' && l.current! < l.total!))).toBe(true);
    const currents = seen.map((p) => p.current);
    expect(currents).toEqual([...currents].sort((a, b) => a - b));
    expect(seen.at(-1)).toEqual(final);
    const images = await call(app, 'images.list', {});
    expect(images.some((i) => i.tags.includes(ref))).toBe(true);
    const [row] = await call(app, 'events.list', { type: 'image.pull', limit: 1 });
    expect(row).toMatchObject({ image: ref, outcome: 'ok', details: expect.objectContaining({ bytes: final.total }) });
  });

  it('reports an unknown tag and an unreachable registry as typed errors with the engine’s words', async () => {
    const unknown = await call(app, 'images.pull', { ref: `${registry.host}/mlenv-test/layers:nope-${RUN}` }).catch((e: AppError) => e);
    expect(unknown).toBeInstanceOf(AppError);
    expect((unknown as AppError).code).toBe('NOT_FOUND');
    expect((unknown as AppError).message).toMatch(/manifest unknown|not found/i);
    const down = await call(app, 'images.pull', { ref: '127.0.0.1:1/mlenv-test/none:v1' }).catch((e: AppError) => e);
    expect(down).toBeInstanceOf(AppError);
    expect((down as AppError).message).toMatch(/127\.0\.0\.1:1.*(connection refused|connect)/i);
    const bad = await call(app, 'images.pull', { ref: 'Bad Ref' }).catch((e: AppError) => e);
    expect(bad).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('"Bad Ref" is not an image reference') });
  });

  it('removes an image, refusing one a container uses unless forced', async () => {
    const c = await d.createContainer({ Image: ref, Cmd: ['true'], Labels: testLabels });
    const inUse = await call(app, 'images.remove', { ref }).catch((e: AppError) => e);
    expect(inUse).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/being used|conflict/i) });
    await c.remove({ force: true });
    const out = await call(app, 'images.remove', { ref });
    expect(out.removed).toContain(ref);
    expect((await call(app, 'images.list', {})).some((i) => i.tags.includes(ref))).toBe(false);
  });

  it('keeps a registry secret out of the database and the journal, in a 0600 file', async () => {
    const secret = `nvapi-${RUN}-TOPSECRET`;
    const login = await call(app, 'registries.login', { registry: 'nvcr.io', username: '$oauthtoken', secret });
    expect(login).toMatchObject({ registry: 'nvcr.io', username: '$oauthtoken' });
    expect(JSON.stringify(login)).not.toContain(secret);
    expect(await call(app, 'registries.list', {})).toEqual([expect.objectContaining({ registry: 'nvcr.io', username: '$oauthtoken' })]);
    const file = path.join(dataDir, SECRETS_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain(secret);
    app.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(readFileSync(path.join(dataDir, 'mlenv.db')).includes(secret)).toBe(false);
    const rows = await call(app, 'events.list', { limit: 1000 });
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(await call(app, 'registries.logout', { registry: 'nvcr.io' })).toEqual({ removed: true });
    expect(readFileSync(file, 'utf8')).not.toContain(secret);
  });
});
