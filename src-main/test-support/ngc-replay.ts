// Test support: NGC's catalog API and nvcr.io's registry API replayed on 127.0.0.1 from the recorded
// shapes in src-main/core/catalog/fixtures (the search answer with its duplicated `_scored` group and
// NSPECT- labels, the pytorch detail and tag list, the 401 challenge, the token, a tag list with a
// cosign .sig tag, a manifest list and a per-architecture manifest). Pages and tag lists of the other
// shipped images are made in the same shapes from seed-catalog.json. Faults (an HTML error page, no
// answer, a 429 with Retry-After, a body cut short, a 401) can be set per path prefix. It listens on
// port 0 and reads the port back, so two runs never race for one.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// By import.meta.url, so Playwright (ESM) can use this file as well as vitest.
const CATALOG_DIR = fileURLToPath(new URL('../core/catalog/', import.meta.url));
const FIXTURES = path.join(CATALOG_DIR, 'fixtures');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');
const json = (name: string) => JSON.parse(fixture(name)) as Record<string, unknown>;

export type ReplayFault = 'html' | 'timeout' | 'rate-limit' | 'truncated' | 'unauthorized';

export interface ReplayRequest {
  path: string;
  query: URLSearchParams;
  authorization: string | null;
}

export interface NgcReplay {
  /** http://127.0.0.1:<port>: use as settings catalog.ngcApiUrl and catalog.registryMirror. */
  url: string;
  /** 127.0.0.1:<port> */
  host: string;
  /** Every request, in order. */
  requests: ReplayRequest[];
  /** Requests whose path starts with `prefix` fail as `fault` until cleared (Retry-After `retryAfter` for rate-limit). */
  fault(prefix: string, fault: ReplayFault, opts?: { retryAfter?: string; status?: number }): void;
  clearFaults(): void;
  close(): Promise<void>;
}

interface SeedRow {
  resourceId: string;
  name: string;
  displayName: string;
  description: string;
  org: string;
  team?: string;
  categories: string[];
  publisher: string;
  latestTag: string;
  sizeBytes: number;
  updatedDate: string;
  multiArch: boolean;
  requiresLogin: boolean;
}
const seed = (JSON.parse(readFileSync(path.join(CATALOG_DIR, 'seed-catalog.json'), 'utf8')) as { images: SeedRow[] }).images;

/** A search resource in the recorded shape (labels by key, attributes flattened as strings). */
function resourceOf(s: SeedRow, popularity: number) {
  return {
    orgName: s.org,
    ...(s.team ? { teamName: s.team } : {}),
    resourceId: s.resourceId,
    labels: [
      { key: 'general', values: [...s.categories, 'NSPECT-TEST-0001'] },
      { key: 'system', values: s.multiArch ? ['signed images', 'containers:multiarch'] : ['signed images'] },
      { key: 'publisher', values: [s.publisher] },
    ],
    dateModified: s.updatedDate,
    description: s.description,
    weightPopular: popularity,
    displayName: s.displayName,
    name: s.name,
    resourceType: 'CONTAINER',
    attributes: [
      { key: 'latestTag', value: s.latestTag },
      { key: 'size', value: String(s.sizeBytes) },
      { key: 'hasSignedTag', value: 'true' },
      { key: 'latestTagPushedDate', value: s.updatedDate },
    ],
  };
}

/** Search answer pages: page 0 is the recording; pages 1.. hold the other shipped NVIDIA images, 10 a page. */
function searchPage(page: number): unknown {
  const page0 = json('ngc-search-containers.page0.json') as { params: object; results: { groupValue: string; resources: { resourceId: string }[] }[] };
  if (page === 0) return page0;
  const onPage0 = new Set(page0.results.flatMap((g) => g.resources.map((r) => r.resourceId)));
  const rest = seed.filter((s) => s.org === 'nvidia' && !onPage0.has(s.resourceId));
  const slice = rest.slice((page - 1) * 10, page * 10).map((s, i) => resourceOf(s, 500 - page * 10 - i));
  return {
    ...page0,
    params: { ...page0.params, page },
    results: [
      { groupValue: '_scored', totalCount: slice.length, resources: slice },
      { groupValue: 'CONTAINER', totalCount: 24, resources: slice },
    ],
  };
}

/** GET /v2/repos/<repo>/images: the recording for nvidia/pytorch, the seed's latest tag (both arches when multi-arch) for the rest. */
function imagesOf(repo: string): unknown {
  if (repo === 'nvidia/pytorch') return json('ngc-repo-pytorch-images.json');
  const s = seed.find((x) => x.resourceId === repo);
  if (!s) return null;
  const arches = s.multiArch ? ['amd64', 'arm64'] : [s.resourceId.includes('l4t-') ? 'arm64' : 'amd64'];
  return {
    requestStatus: { statusCode: 'SUCCESS' },
    images: [
      {
        tag: s.latestTag,
        size: s.sizeBytes,
        updatedDate: s.updatedDate,
        isSigned: true,
        architectureVariants: arches.map((architecture, i) => ({ architecture, os: 'linux', compressedSize: s.sizeBytes - i * 1000, digest: `sha256:${String(i).repeat(64)}` })),
      },
      { tag: `sha256-${'c'.repeat(64)}.sig`, size: 1000, updatedDate: s.updatedDate, isSigned: false, architectureVariants: [] },
    ],
  };
}

const CONFIG_DIGEST = `sha256:${'d'.repeat(64)}`;
const TOKEN = (JSON.parse(fixture('nvcr-token.json')) as { token: string }).token;

export async function startNgcReplay(opts: { gated?: string[] } = {}): Promise<NgcReplay> {
  const gated = new Set(opts.gated ?? seed.filter((s) => s.requiresLogin).map((s) => s.resourceId));
  const faults: { prefix: string; fault: ReplayFault; retryAfter?: string; status?: number }[] = [];
  const requests: ReplayRequest[] = [];
  let url = '';

  const challenge = (scopeRepo: string) =>
    fixture('nvcr-401-headers.txt')
      .split('\n')
      .find((l) => /^www-authenticate:/i.test(l))!
      .replace(/^www-authenticate:\s*/i, '')
      .trim()
      .replace('https://nvcr.io/proxy_auth', `${url}/proxy_auth`)
      .replace('repository:nvidia/pytorch:pull', `repository:${scopeRepo}:pull`);

  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://replay');
    requests.push({ path: u.pathname, query: u.searchParams, authorization: req.headers.authorization ?? null });
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
      res.end(text);
    };
    const fault = faults.find((f) => u.pathname.startsWith(f.prefix));
    if (fault) {
      switch (fault.fault) {
        case 'html': {
          const page = '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>\n';
          return send(fault.status ?? 502, page, { 'Content-Type': 'text/html; charset=utf-8' });
        }
        case 'timeout':
          return; // never answers; close() ends the connection
        case 'rate-limit':
          return send(429, { requestStatus: { statusCode: 'TOO_MANY_REQUESTS' } }, { 'Retry-After': fault.retryAfter ?? '120' });
        case 'unauthorized':
          return send(401, { requestStatus: { statusCode: 'UNAUTHORIZED' } }, { 'Www-Authenticate': challenge('nvidia/pytorch') });
        case 'truncated': {
          const full = JSON.stringify(searchPage(0));
          res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(full) });
          res.write(full.slice(0, Math.floor(full.length / 2)));
          setTimeout(() => res.socket?.destroy(), 20);
          return;
        }
      }
    }

    // NGC catalog API
    if (u.pathname === '/v2/search/catalog/resources/CONTAINER') {
      let q: { page?: number };
      try {
        q = JSON.parse(u.searchParams.get('q') ?? '') as { page?: number };
        if (typeof q !== 'object' || q === null) throw new Error('not an object');
      } catch {
        return send(400, { type: 'about:blank', title: 'Bad Request', status: 400, detail: 'q must be a JSON query object' }, { 'Content-Type': 'application/problem+json' });
      }
      return send(200, searchPage(q.page ?? 0));
    }
    const repoApi = /^\/v2\/repos\/(.+?)(\/images)?$/.exec(u.pathname);
    if (repoApi) {
      const repo = repoApi[1]!;
      if (gated.has(repo) && req.headers.authorization !== 'Bearer nvapi-test-key') return send(404, { requestStatus: { statusCode: 'NOT_FOUND' } });
      if (repoApi[2]) {
        const images = imagesOf(repo);
        return images ? send(200, images) : send(404, { requestStatus: { statusCode: 'NOT_FOUND' } });
      }
      return repo === 'nvidia/pytorch' ? send(200, json('ngc-repo-pytorch.json')) : send(404, { requestStatus: { statusCode: 'NOT_FOUND' } });
    }

    // nvcr.io: token service, then the registry API behind a Bearer challenge
    if (u.pathname === '/proxy_auth') {
      const scope = u.searchParams.get('scope') ?? '';
      const repo = /^repository:(.+):pull$/.exec(scope)?.[1];
      if (!repo) return send(400, { errors: [{ code: 'INVALID_SCOPE' }] });
      if (gated.has(repo)) return send(401, { errors: [{ code: 'DENIED', message: 'access denied' }] });
      return send(200, fixture('nvcr-token.json'));
    }
    const reg = /^\/v2\/(.+)\/(tags\/list|manifests\/[^/]+|blobs\/[^/]+)$/.exec(u.pathname);
    if (u.pathname === '/v2/' || reg) {
      const repo = reg?.[1] ?? 'nvidia/pytorch';
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(401, { errors: [{ code: 'UNAUTHORIZED' }] }, { 'Www-Authenticate': challenge(repo) });
      if (!reg) return send(200, {});
      if (repo !== 'nvidia/pytorch') return send(404, { errors: [{ code: 'NAME_UNKNOWN' }] });
      const [kind, ref] = reg[2]!.split('/');
      if (kind === 'tags') return send(200, fixture('nvcr-tags-list.json'));
      if (kind === 'blobs') return ref === CONFIG_DIGEST ? send(200, { architecture: 'amd64', os: 'linux', created: '2025-12-19T20:11:05Z', config: {} }) : send(404, { errors: [{ code: 'BLOB_UNKNOWN' }] });
      const list = json('nvcr-manifest-list.json') as { mediaType: string; manifests: { digest: string }[] };
      if (ref!.startsWith('sha256:')) {
        if (!list.manifests.some((m) => m.digest === ref)) return send(404, { errors: [{ code: 'MANIFEST_UNKNOWN' }] });
        const m = json('nvcr-manifest-amd64.json') as { mediaType: string };
        return send(200, m, { 'Content-Type': m.mediaType, 'Docker-Content-Digest': ref! });
      }
      const tags = (json('nvcr-tags-list.json') as { tags: string[] }).tags;
      return tags.includes(ref!) ? send(200, list, { 'Content-Type': list.mediaType }) : send(404, { errors: [{ code: 'MANIFEST_UNKNOWN' }] });
    }
    send(404, { requestStatus: { statusCode: 'NOT_FOUND' } });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}`;
  return {
    url,
    host: `127.0.0.1:${port}`,
    requests,
    fault: (prefix, fault, o = {}) => void faults.push({ prefix, fault, ...o }),
    clearFaults: () => void faults.splice(0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
