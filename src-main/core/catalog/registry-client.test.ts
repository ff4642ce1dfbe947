// The registry v2 client against small servers on 127.0.0.1 that speak the distribution spec's other
// dialects: a Basic challenge answered with a stored login, a token service answering `access_token`,
// tag lists paged with Link headers, and an OCI index with attestation manifests (platform unknown/unknown).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { noCache } from './api-cache';
import { CatalogFetchError } from './http';
import { createRegistryClient, MANIFEST_TYPES } from './registry-client';

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

async function serve(handler: (req: http.IncomingMessage, res: http.ServerResponse, base: string) => void): Promise<string> {
  let base = '';
  const s = http.createServer((req, res) => handler(req, res, base));
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  return base;
}
const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};
const client = () => createRegistryClient({ http: { timeoutMs: 2000, now: () => NOW }, cache: noCache, ttlMs: () => 0 });
const target = (baseUrl: string, credentials: { username: string; password: string } | null = null) => ({ host: new URL(baseUrl).host, baseUrl, credentials });

describe('registry client', () => {
  it('answers a Basic challenge with the stored login, and only with it', async () => {
    const good = `Basic ${Buffer.from('alice:s3cret').toString('base64')}`;
    const base = await serve((req, res) => {
      if (req.headers.authorization !== good) return send(res, 401, { errors: [{ code: 'UNAUTHORIZED' }] }, { 'Www-Authenticate': 'Basic realm="Registry Realm"' });
      send(res, 200, { name: 'team/app', tags: ['1.0'] });
    });
    expect(await client().tags(target(base, { username: 'alice', password: 's3cret' }), 'team/app')).toEqual(['1.0']);
    const refused = await client()
      .tags(target(base), 'team/app')
      .catch((e: CatalogFetchError) => e);
    expect(refused).toMatchObject({ kind: 'auth', message: `Registry ${new URL(base).host} requires a sign-in to read team/app.` });
    const wrong = await client()
      .tags(target(base, { username: 'alice', password: 'nope' }), 'team/app')
      .catch((e: CatalogFetchError) => e);
    expect(wrong).toMatchObject({ kind: 'auth', message: expect.stringMatching(/and refused the stored one\.$/) });
  });

  it('takes `access_token` from the token service, sends the service and scope it was told, and follows Link pages', async () => {
    const seen: string[] = [];
    const base = await serve((req, res, b) => {
      const u = new URL(req.url!, b);
      seen.push(`${u.pathname}${u.search}`);
      if (u.pathname === '/token') return send(res, 200, { access_token: 'tok', expires_in: 300 });
      if (req.headers.authorization !== 'Bearer tok') return send(res, 401, {}, { 'Www-Authenticate': `Bearer realm="${b}/token",service="reg.local",scope="repository:team/app:pull"` });
      if (u.searchParams.get('last') === 'b') return send(res, 200, { name: 'team/app', tags: ['c'] });
      send(res, 200, { name: 'team/app', tags: ['a', 'b'] }, { Link: '</v2/team/app/tags/list?n=1000&last=b>; rel="next"' });
    });
    expect(await client().tags(target(base), 'team/app')).toEqual(['a', 'b', 'c']);
    expect(seen).toEqual(['/v2/team/app/tags/list?n=1000', '/token?service=reg.local&scope=repository%3Ateam%2Fapp%3Apull', '/v2/team/app/tags/list?n=1000', '/v2/team/app/tags/list?n=1000&last=b']);
  });

  it('sizes each platform of an OCI index, skipping attestation manifests, and dates it from its config', async () => {
    const layer = (size: number) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', size, digest: `sha256:${String(size).padStart(64, '0')}` });
    const manifest = (config: string, sizes: number[]) => ({ schemaVersion: 2, mediaType: MANIFEST_TYPES.ociManifest, config: { mediaType: 'application/vnd.oci.image.config.v1+json', size: 100, digest: config }, layers: sizes.map(layer) });
    const d = (c: string) => `sha256:${c.repeat(64)}`;
    const docs: Record<string, unknown> = {
      '/v2/team/app/manifests/1.0': {
        schemaVersion: 2,
        mediaType: MANIFEST_TYPES.ociIndex,
        manifests: [
          { mediaType: MANIFEST_TYPES.ociManifest, size: 1, digest: d('a'), platform: { architecture: 'amd64', os: 'linux' } },
          { mediaType: MANIFEST_TYPES.ociManifest, size: 1, digest: d('b'), platform: { architecture: 'arm64', os: 'linux', variant: 'v8' } },
          { mediaType: MANIFEST_TYPES.ociManifest, size: 1, digest: d('c'), platform: { architecture: 'unknown', os: 'unknown' }, annotations: { 'vnd.docker.reference.type': 'attestation-manifest' } },
        ],
      },
      [`/v2/team/app/manifests/${d('a')}`]: manifest(d('1'), [1000, 2000]),
      [`/v2/team/app/manifests/${d('b')}`]: manifest(d('2'), [900]),
      [`/v2/team/app/blobs/${d('2')}`]: { architecture: 'arm64', os: 'linux', created: '2026-01-02T03:04:05Z' },
    };
    const base = await serve((req, res) => {
      const doc = docs[req.url!];
      if (doc) send(res, 200, doc);
      else send(res, 404, { errors: [{ code: 'MANIFEST_UNKNOWN' }] });
    });
    expect(await client().tag(target(base), 'team/app', '1.0', { prefer: 'arm64' })).toEqual({
      variants: [
        { architecture: 'amd64', compressedSize: 100 + 1000 + 2000, digest: d('a') },
        { architecture: 'arm64', compressedSize: 100 + 900, digest: d('b') },
      ],
      createdAt: Date.parse('2026-01-02T03:04:05Z'),
    });
    const missing = await client()
      .tag(target(base), 'team/app', '9.9')
      .catch((e: CatalogFetchError) => e);
    expect(missing).toMatchObject({ kind: 'not-found' });
  });
});
