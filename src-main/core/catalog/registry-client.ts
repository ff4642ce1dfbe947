// A Docker Registry HTTP API v2 / OCI distribution client, enough for a catalog: the token flow from
// the WWW-Authenticate challenge (anonymous, or Basic credentials sent to the token realm), tag lists
// (following Link pagination), and per-architecture compressed sizes from manifest lists / OCI
// indexes (compressed size = config.size + Σ layers[].size of that architecture's manifest). It serves
// nvcr.io (or its mirror) and any registry a custom image lives on.
import { z } from 'zod';
import type { Architecture, CatalogVariant } from '@shared/contract';
import type { AnswerCache } from './api-cache';
import { CatalogFetchError, httpGet, jsonOf, type HttpAnswer, type HttpOptions } from './http';
import { asArchitecture } from './traits';
import { parseWwwAuthenticate } from './www-authenticate';

export interface RegistryTarget {
  /** host[:port] as image names carry it (nvcr.io, 127.0.0.1:5000): named in messages. */
  host: string;
  /** Where its API answers, without a trailing slash (https://nvcr.io, http://127.0.0.1:5000). */
  baseUrl: string;
  /** Sent to the token realm (or on a Basic challenge); null: anonymous. */
  credentials: { username: string; password: string } | null;
}

/** One tag's architectures with their sizes, and when the image was built (its config's `created`). */
export interface TagDetail {
  variants: CatalogVariant[];
  /** ms since epoch; null when the config does not say. */
  createdAt: number | null;
}

export const MANIFEST_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
} as const;
const ACCEPT_MANIFESTS = Object.values(MANIFEST_TYPES).join(', ');

const size = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const descriptor = z.looseObject({ mediaType: z.string().optional(), size, digest: z.string().max(200) });
const imageManifest = z.looseObject({ config: descriptor, layers: z.array(descriptor).max(1000) });
const index = z.looseObject({
  manifests: z
    .array(descriptor.extend({ platform: z.looseObject({ architecture: z.string(), os: z.string().optional() }).optional() }))
    .max(200),
});
const tagList = z.looseObject({ tags: z.array(z.string().max(256)).max(100_000).nullable().optional() });
const tokenAnswer = z.looseObject({ token: z.string().min(1).optional(), access_token: z.string().min(1).optional(), expires_in: z.number().optional() });
const imageConfig = z.looseObject({ architecture: z.string().optional(), created: z.string().optional() });

/** Digest-addressed answers never change: keep them a month. */
const IMMUTABLE_TTL_MS = 30 * 86_400_000;
const MAX_TAG_PAGES = 20;
const MAX_PLATFORMS = 8;

const shape = <T>(schema: z.ZodType<T>, value: unknown, who: string, what: string): T => {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const first = r.error.issues[0]!;
  throw new CatalogFetchError('malformed', `${who} sent ${what} of an unexpected shape (${first.path.join('.') || 'top level'}: ${first.message}).`);
};

export function createRegistryClient(deps: { http: HttpOptions; cache: AnswerCache; ttlMs: () => number }) {
  const { http } = deps;
  /** Bearer tokens by base URL and scope, until they expire. */
  const tokens = new Map<string, { token: string; expiresAt: number }>();
  const who = (t: RegistryTarget) => `Registry ${t.host}`;
  const basic = (c: NonNullable<RegistryTarget['credentials']>) => `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;

  async function fetchToken(t: RegistryTarget, params: Record<string, string>, repository: string): Promise<string> {
    const realm = params.realm;
    let url: URL;
    try {
      url = new URL(realm ?? '');
    } catch {
      throw new CatalogFetchError('malformed', `${who(t)} sent a sign-in challenge without a usable realm (${realm ?? 'none'}).`);
    }
    // Credentials go to the realm the registry names (Docker does the same); never in clear over plain HTTP to another host.
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && t.baseUrl.startsWith('http:'))) {
      throw new CatalogFetchError('malformed', `${who(t)} named a token realm that is not https (${url.origin}).`);
    }
    const scope = params.scope ?? `repository:${repository}:pull`;
    if (params.service) url.searchParams.set('service', params.service);
    url.searchParams.set('scope', scope);
    const a = await httpGet(url.toString(), t.credentials ? { Authorization: basic(t.credentials) } : {}, http, `${who(t)}'s token service (${url.host})`);
    if (a.status === 401 || a.status === 403) {
      throw new CatalogFetchError('auth', `${who(t)} requires a sign-in to read ${repository}${t.credentials ? ' and refused the stored one' : ''}.`, null, a.status);
    }
    const body = shape(tokenAnswer, jsonOf(a, `${who(t)}'s token service`, http.now()), who(t), 'a token answer');
    const token = body.token ?? body.access_token;
    if (!token) throw new CatalogFetchError('malformed', `${who(t)}'s token service answered without a token.`);
    const ttl = Math.max(30, (body.expires_in ?? 60) - 10) * 1000;
    tokens.set(`${t.baseUrl} ${scope}`, { token, expiresAt: http.now() + ttl });
    tokens.set(`${t.baseUrl} repository:${repository}:pull`, { token, expiresAt: http.now() + ttl });
    return token;
  }

  /** GET `path` (/v2/…) with the registry's auth dance; any final status is returned. */
  async function get(t: RegistryTarget, path: string, repository: string, accept?: string): Promise<HttpAnswer> {
    const headers: Record<string, string> = accept ? { Accept: accept } : {};
    const known = tokens.get(`${t.baseUrl} repository:${repository}:pull`);
    const withToken = known && known.expiresAt > http.now() ? { ...headers, Authorization: `Bearer ${known.token}` } : headers;
    const url = path.startsWith('http') ? path : `${t.baseUrl}${path}`;
    let a = await httpGet(url, withToken, http, who(t));
    if (a.status !== 401) return a;
    const challenges = parseWwwAuthenticate(a.headers.get('www-authenticate'));
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    if (bearer) {
      const token = await fetchToken(t, bearer.params, repository);
      a = await httpGet(url, { ...headers, Authorization: `Bearer ${token}` }, http, who(t));
    } else if (challenges.some((c) => c.scheme === 'basic') && t.credentials) {
      a = await httpGet(url, { ...headers, Authorization: basic(t.credentials) }, http, who(t));
    }
    if (a.status === 401 || a.status === 403) {
      throw new CatalogFetchError('auth', `${who(t)} requires a sign-in to read ${repository}${t.credentials ? ' and refused the stored one' : ''}.`, null, a.status);
    }
    return a;
  }

  /** JSON at `path`, from the cache when fresh (unless `force`), else fetched and cached for `ttlMs`. */
  async function json(t: RegistryTarget, path: string, repository: string, o: { accept?: string; ttlMs: number; force: boolean; what: string }): Promise<{ value: unknown; answer?: HttpAnswer }> {
    const key = `GET ${t.baseUrl}${path}${o.accept ? ` accept=${o.accept}` : ''}${t.credentials ? ` as=${t.credentials.username}` : ''}`;
    const cached = o.force ? undefined : deps.cache.fresh(key);
    if (cached !== undefined) return { value: JSON.parse(cached) as unknown };
    const a = await get(t, path, repository, o.accept);
    const value = jsonOf(a, who(t), http.now());
    deps.cache.store(key, a.body, o.ttlMs);
    return { value, answer: a };
  }

  /** Size of one image manifest: config.size + Σ layers[].size (the compressed download). */
  const manifestSize = (m: z.infer<typeof imageManifest>) => m.config.size + m.layers.reduce((s, l) => s + l.size, 0);

  async function configOf(t: RegistryTarget, repository: string, digest: string, force: boolean): Promise<{ architecture: Architecture | null; createdAt: number | null }> {
    const { value } = await json(t, `/v2/${repository}/blobs/${digest}`, repository, { ttlMs: IMMUTABLE_TTL_MS, force, what: 'an image config' });
    const c = shape(imageConfig, value, who(t), 'an image config');
    const created = c.created ? Date.parse(c.created) : NaN;
    return { architecture: asArchitecture(c.architecture), createdAt: Number.isNaN(created) ? null : created };
  }

  return {
    /**
     * Every tag of `repository` (`GET /v2/<name>/tags/list?n=1000`, following `Link: <…>; rel="next"`),
     * as the registry lists them (unsorted, cosign tags included).
     */
    async tags(t: RegistryTarget, repository: string, force = false): Promise<string[]> {
      const out: string[] = [];
      let path: string | null = `/v2/${repository}/tags/list?n=1000`;
      for (let page = 0; path && page < MAX_TAG_PAGES; page++) {
        const { value, answer } = await json(t, path, repository, { ttlMs: deps.ttlMs(), force, what: 'a tag list' });
        out.push(...(shape(tagList, value, who(t), 'a tag list').tags ?? []));
        const link = answer?.headers.get('link');
        const next = link ? /<([^>]+)>\s*;\s*rel="?next"?/i.exec(link)?.[1] : undefined;
        path = next ? new URL(next, t.baseUrl).pathname + new URL(next, t.baseUrl).search : null;
      }
      return out;
    },

    /**
     * The architectures of `repository:tag` with their compressed sizes, and its build date: a manifest
     * list / OCI index is followed to each linux platform's manifest (attestation entries, whose
     * architecture is "unknown", are skipped); a single manifest's architecture comes from its config.
     * `prefer` is the architecture whose config gives the date (this host's).
     */
    async tag(t: RegistryTarget, repository: string, tag: string, o: { force?: boolean; prefer?: Architecture | null } = {}): Promise<TagDetail> {
      const force = o.force ?? false;
      const { value } = await json(t, `/v2/${repository}/manifests/${tag}`, repository, { accept: ACCEPT_MANIFESTS, ttlMs: deps.ttlMs(), force, what: 'a manifest' });
      const asIndex = index.safeParse(value);
      if (asIndex.success) {
        const platforms = asIndex.data.manifests
          .filter((m) => (m.platform?.os ?? 'linux') === 'linux' && asArchitecture(m.platform?.architecture))
          .slice(0, MAX_PLATFORMS);
        const variants: CatalogVariant[] = [];
        const configs: Partial<Record<Architecture, string>> = {};
        for (const p of platforms) {
          const architecture = asArchitecture(p.platform!.architecture)!;
          if (variants.some((v) => v.architecture === architecture)) continue; // arm64 v8 and another variant: the first counts
          const { value: mv } = await json(t, `/v2/${repository}/manifests/${p.digest}`, repository, { accept: ACCEPT_MANIFESTS, ttlMs: IMMUTABLE_TTL_MS, force, what: 'a manifest' });
          const m = shape(imageManifest, mv, who(t), `the ${architecture} manifest of ${repository}:${tag}`);
          variants.push({ architecture, compressedSize: manifestSize(m), digest: p.digest });
          configs[architecture] = m.config.digest;
        }
        const dated = (o.prefer && configs[o.prefer]) ?? Object.values(configs)[0];
        const createdAt = dated ? (await configOf(t, repository, dated, force)).createdAt : null;
        return { variants, createdAt };
      }
      const m = shape(imageManifest, value, who(t), `the manifest of ${repository}:${tag}`);
      const config = await configOf(t, repository, m.config.digest, force);
      return {
        variants: config.architecture ? [{ architecture: config.architecture, compressedSize: manifestSize(m), digest: null }] : [],
        createdAt: config.createdAt,
      };
    },
  };
}
export type RegistryClient = ReturnType<typeof createRegistryClient>;
