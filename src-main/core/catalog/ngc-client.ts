// The NGC catalog REST API (api.ngc.nvidia.com), anonymous for public content:
//   GET /v2/search/catalog/resources/CONTAINER?q=<JSON>   search; `q` must be a JSON object (a bare string is a 400)
//   GET /v2/repos/<org>[/<team>]/<name>                    repository detail (Markdown overview, labels, tags)
//   GET /v2/repos/<org>[/<team>]/<name>/images             tags with sizes, dates and architectures
// A search answer groups its hits: the page is the CONTAINER group; the `_scored` group repeats the
// top hits and is not read. With an NGC API key, a request refused anonymously is tried once more with
// `Authorization: Bearer <key>`.
import { z } from 'zod';
import type { AnswerCache } from './api-cache';
import { CatalogFetchError, httpGet, jsonOf, type HttpOptions } from './http';

const str = z.string().max(200_000);
const attribute = z.looseObject({ key: z.string().max(200), value: z.union([z.string().max(20_000), z.number(), z.boolean()]).nullish() });
const label = z.looseObject({ key: z.string().max(200), values: z.array(z.string().max(500)).max(500).nullish() });

/** One resource of a search answer (the fields the catalog reads). */
export const ngcResourceSchema = z.looseObject({
  resourceId: z.string().min(1).max(300),
  orgName: z.string().max(128).nullish(),
  teamName: z.string().max(128).nullish(),
  name: z.string().min(1).max(200),
  displayName: z.string().max(500).nullish(),
  description: str.nullish(),
  resourceType: z.string().max(64).nullish(),
  labels: z.array(label).max(200).nullish(),
  attributes: z.array(attribute).max(200).nullish(),
  dateModified: z.string().max(64).nullish(),
  weightPopular: z.number().nullish(),
});
export type NgcResource = z.infer<typeof ngcResourceSchema>;

const searchAnswerSchema = z.looseObject({
  resultTotal: z.number().nullish(),
  resultPageTotal: z.number().nullish(),
  results: z.array(z.looseObject({ groupValue: z.string().max(200), resources: z.array(z.unknown()).max(10_000).nullish() })).max(100),
});

const variantSchema = z.looseObject({
  architecture: z.string().max(64),
  os: z.string().max(64).nullish(),
  compressedSize: z.number().min(0).nullish(),
  digest: z.string().max(200).nullish(),
});

/** GET /v2/repos/<repository>: the fields the catalog reads. */
export const ngcRepositorySchema = z.looseObject({
  name: z.string().max(200).nullish(),
  displayName: z.string().max(500).nullish(),
  shortDescription: str.nullish(),
  description: str.nullish(),
  publisher: z.string().max(200).nullish(),
  labels: z.array(z.string().max(500)).max(500).nullish(),
  latestTag: z.string().max(128).nullish(),
  latestImageSize: z.number().min(0).nullish(),
  latestArchitectureVariants: z.array(variantSchema).max(50).nullish(),
  updatedDate: z.string().max(64).nullish(),
  canGuestPull: z.boolean().nullish(),
  isMultiArchitecture: z.boolean().nullish(),
  hasSignedTag: z.boolean().nullish(),
  logo: z.string().max(2048).nullish(),
});
export type NgcRepository = z.infer<typeof ngcRepositorySchema>;

/** One tag of GET /v2/repos/<repository>/images. */
export const ngcImageSchema = z.looseObject({
  tag: z.string().min(1).max(256),
  size: z.number().min(0).nullish(),
  updatedDate: z.string().max(64).nullish(),
  isSigned: z.boolean().nullish(),
  architectureVariants: z.array(variantSchema).max(50).nullish(),
});
export type NgcImage = z.infer<typeof ngcImageSchema>;
const imagesAnswerSchema = z.looseObject({ images: z.array(z.unknown()).max(100_000).nullish() });

export interface SearchPage {
  /** The CONTAINER group's resources that have the fields the catalog needs. */
  resources: NgcResource[];
  /** Resources left out because a field the catalog needs is missing or of the wrong kind. */
  skipped: number;
  /** Pages in all (NGC's resultPageTotal). */
  pages: number;
}

export interface NgcClientDeps {
  /** The API's base URL (settings catalog.ngcApiUrl), read at each call. */
  baseUrl: () => string;
  http: HttpOptions;
  cache: AnswerCache;
  /** How long answers are reused (ms). */
  ttlMs: () => number;
  /** The stored NGC API key, if any (never logged, never a cache key). */
  apiKey: () => string | undefined;
}

export function createNgcClient(deps: NgcClientDeps) {
  const who = () => `NGC (${new URL(deps.baseUrl()).host})`;

  /** JSON at `path` (with its query), from the cache when fresh unless `force`. */
  async function get(path: string, force: boolean): Promise<unknown> {
    const url = `${deps.baseUrl().replace(/\/+$/, '')}${path}`;
    const key = `GET ${url}`;
    const cached = force ? undefined : deps.cache.fresh(key) ?? deps.cache.fresh(`${key} as=ngc-key`);
    if (cached !== undefined) return JSON.parse(cached) as unknown;
    const headers = { Accept: 'application/json' };
    let a = await httpGet(url, headers, deps.http, who());
    let keyUsed = false;
    const key2 = deps.apiKey();
    // A repository hidden from guests answers 401 or 404 anonymously: try once more with the key.
    if ((a.status === 401 || a.status === 403 || a.status === 404) && key2) {
      a = await httpGet(url, { ...headers, Authorization: `Bearer ${key2}` }, deps.http, who());
      keyUsed = true;
    }
    const value = jsonOf(a, who(), deps.http.now());
    deps.cache.store(keyUsed ? `${key} as=ngc-key` : key, a.body, deps.ttlMs());
    return value;
  }

  const shape = <T>(schema: z.ZodType<T>, value: unknown, what: string): T => {
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    const first = r.error.issues[0]!;
    throw new CatalogFetchError('malformed', `${who()} sent ${what} of an unexpected shape (${first.path.join('.') || 'top level'}: ${first.message}).`);
  };

  return {
    /**
     * One page (0-based) of every public container: `q` = {"query":"*","page":…,"pageSize":…} (NGC's
     * own order; the catalog ranks by weightPopular itself, since a popularity orderBy is not documented).
     */
    async searchPage(page: number, pageSize: number, force = false): Promise<SearchPage> {
      const q = JSON.stringify({ query: '*', page, pageSize });
      const answer = shape(searchAnswerSchema, await get(`/v2/search/catalog/resources/CONTAINER?q=${encodeURIComponent(q)}`, force), 'a search answer');
      const group = answer.results.find((g) => g.groupValue === 'CONTAINER');
      let skipped = 0;
      const resources: NgcResource[] = [];
      for (const r of group?.resources ?? []) {
        const p = ngcResourceSchema.safeParse(r);
        if (p.success) resources.push(p.data);
        else skipped++;
      }
      return { resources, skipped, pages: Math.max(1, Math.floor(answer.resultPageTotal ?? 1)) };
    },
    /** The repository's detail (GET /v2/repos/<repository>). */
    async repository(repository: string, force = false): Promise<NgcRepository> {
      return shape(ngcRepositorySchema, await get(`/v2/repos/${repository}?resolve-labels=true&remove-unresolved-labels=true`, force), `the detail of ${repository}`);
    },
    /** The repository's tags with sizes, dates and architectures (GET /v2/repos/<repository>/images). Tags of a shape we cannot read are left out. */
    async images(repository: string, force = false): Promise<NgcImage[]> {
      const answer = shape(imagesAnswerSchema, await get(`/v2/repos/${repository}/images?page-size=1000`, force), `the tag list of ${repository}`);
      return (answer.images ?? []).flatMap((i) => {
        const p = ngcImageSchema.safeParse(i);
        return p.success ? [p.data] : [];
      });
    },
  };
}
export type NgcClient = ReturnType<typeof createNgcClient>;
