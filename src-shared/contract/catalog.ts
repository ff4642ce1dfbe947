// The image catalog: NGC images (seeded from a file shipped in the app, refreshed from the NGC
// catalog API and nvcr.io) and the user's own images on any registry, searchable offline.
// Terms follow NGC's (repository, tag, publisher, labels) and the OCI distribution spec's
// (architecture, compressed size = config.size + Σ layers[].size).
import { z } from 'zod';
import { event, request } from './define';

/** CPU architectures as OCI platforms name them (`platform.architecture`; GOARCH). */
export const ARCHITECTURES = ['amd64', 'arm64', 'arm', 'ppc64le', 's390x', '386', 'riscv64'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

/** Where a catalog entry came from: the file shipped in the app, the live NGC catalog, or the user. */
export const CATALOG_SOURCES = ['seed', 'ngc', 'custom'] as const;
export type CatalogSource = (typeof CATALOG_SOURCES)[number];

/** One architecture of one tag (NGC `architectureVariants[]`, or one entry of a manifest list / OCI index). */
export interface CatalogVariant {
  architecture: Architecture;
  /** Compressed (download) size in bytes: config.size + Σ layers[].size of that architecture's manifest; null when unknown. */
  compressedSize: number | null;
  /** The per-architecture manifest digest (sha256:…), when known. */
  digest: string | null;
}

/** One tag of an image. */
export interface CatalogVersion {
  tag: string;
  /** Compressed size in bytes (of this host's architecture when known, else the first); null when unknown. */
  compressedSize: number | null;
  /** The size is an estimate (seed file), not read from NGC or the registry. */
  sizeEstimated: boolean;
  /** When the tag was pushed, ms since epoch; null when unknown. */
  updatedAt: number | null;
  /** The date is an estimate (seed file: a YY.MM tag taken as pushed in that month). */
  updatedAtEstimated: boolean;
  /** Architectures the tag is built for; empty when not known yet. */
  architectures: Architecture[];
  variants: CatalogVariant[];
  /** Has a cosign signature (NGC `isSigned`); null when unknown. */
  signed: boolean | null;
}

/** One catalog entry, keyed by its repository. */
export interface CatalogImage {
  /**
   * The key. For NGC images the path on nvcr.io, "<org>[/<team>]/<name>" (nvidia/pytorch,
   * nvidia/tritonserver, nim/meta/llama-3.1-8b-instruct); never a bare display name. For custom
   * images on another registry the full name without a tag (127.0.0.1:5000/team/app, docker.io/library/python).
   */
  repository: string;
  /** Registry host the image is named on (nvcr.io, 127.0.0.1:5000, docker.io). */
  registry: string;
  /** The name Docker pulls, without a tag, after the registry mirror setting (nvcr.io/nvidia/pytorch, or <mirror>/nvidia/pytorch). */
  pullName: string;
  /** Last path segment (pytorch). */
  name: string;
  displayName: string;
  /** One line of plain text for cards and search results. */
  summary: string;
  /** Long overview, Markdown (NGC's `description`); render safely, no raw HTML. Empty when there is none. */
  description: string;
  publisher: string | null;
  /** NGC org and team (nvidia, clara); null for custom images. */
  org: string | null;
  team: string | null;
  categories: string[];
  /** NGC labels without internal ids (NSPECT-…) and unresolved markers. */
  labels: string[];
  source: CatalogSource;
  /** Pulling needs a sign-in (an NGC API key for NGC images, a registry login otherwise). */
  gated: boolean;
  /** Ships JupyterLab (one-click launch starts it on a free host port bound to 127.0.0.1). */
  jupyterLab: boolean;
  /** An NVIDIA framework image: launch with --ipc=host and the recommended ulimits; never offer `latest`. */
  framework: boolean;
  /** Built for Jetson (L4T): launch with the nvidia runtime. */
  jetson: boolean;
  /** The newest tag as the catalog knows it; null when unknown. */
  latestTag: string | null;
  /** Compressed size of latestTag in bytes; null when unknown. */
  compressedSize: number | null;
  sizeEstimated: boolean;
  /** When the image was last updated, ms since epoch; null when unknown. */
  updatedAt: number | null;
  updatedAtEstimated: boolean;
  /** Union of the architectures known for the image. */
  architectures: Architecture[];
  /** NGC's weightPopular (higher is more popular); 0 when unknown. */
  popularity: number;
  /** Logo URL from NGC (https only), or null. */
  logo: string | null;
  /** Web page of the image (catalog.ngc.nvidia.com for NGC images), or null. */
  webUrl: string | null;
  /** Known tags, newest first. `catalog.tags` refreshes them from the registry. */
  versions: CatalogVersion[];
  /** When this entry was last written from its source, ms since epoch. */
  fetchedAt: number;
}

/** How a search hit matched, best first: the exact repository, a repository/name prefix, the text, or no text at all. */
export type CatalogMatch = 'exact' | 'prefix' | 'text' | 'all';

/** One search result: the entry without its long description and tag list. */
export type CatalogHit = Omit<CatalogImage, 'description' | 'versions'> & { match: CatalogMatch };

export interface CatalogSearchResult {
  hits: CatalogHit[];
  /** Matches before `limit`. */
  total: number;
}

export interface CatalogCategory {
  name: string;
  /** Images in the category. */
  count: number;
}

/** Progress of the background refresh from NGC. */
export interface CatalogRefreshProgress {
  /** What it is doing, one short phrase ("searching NGC", "reading tags of nvidia/pytorch"). */
  phase: string;
  done: number;
  /** 0 while the total is not known yet. */
  total: number;
  startedAt: number;
}

/** Where the catalog stands: where its data came from, whether NGC answered, a refresh under way. */
export interface CatalogStatus {
  /** What the shown catalog was built from last: the shipped seed only, cached NGC answers, or a live refresh. */
  dataSource: 'seed' | 'cache' | 'live';
  /** When the catalog data was last read from NGC successfully (ms since epoch); null when never (seed only). */
  lastRefreshAt: number | null;
  /** The last attempt to reach NGC failed: the app says "offline — catalog from <date of lastRefreshAt or the seed>". */
  offline: boolean;
  /** One sentence: why (e.g. "NGC did not answer within 15 s."); null when online. */
  offlineReason: string | null;
  /** When the failure was seen, ms since epoch; null when online. */
  offlineSince: number | null;
  /** The date the shown catalog is from (ms since epoch): lastRefreshAt, or the seed file's date. */
  dataAsOf: number;
  /** The data is older than the cache TTL (settings catalog.cacheTtlHours), or was never refreshed. */
  stale: boolean;
  /** NGC asked us to wait (HTTP 429 Retry-After): no request goes to it before this time (ms since epoch); null otherwise. */
  retryNotBefore: number | null;
  /** Null when no refresh is running. */
  refresh: CatalogRefreshProgress | null;
  images: number;
  /** An NGC API key is stored (the key itself is never returned). */
  apiKeySet: boolean;
}

/** Tags of one image, as `catalog.tags` returns them. */
export interface CatalogTags {
  repository: string;
  /** Newest first; cosign `.sig` tags never appear, nor `latest` for framework images. */
  versions: CatalogVersion[];
  /** Where these came from: the registry just now, the response cache, or what the catalog had (seed/import). */
  source: 'live' | 'cache' | 'catalog';
  /** When they were read from the registry (ms since epoch); null when never. */
  fetchedAt: number | null;
  /** One sentence when the registry could not be read and older data is shown (e.g. "NGC sign-in required: …"). */
  warning: string | null;
}

/** The whole catalog as a JSON file (catalog.export / catalog.import). */
export interface CatalogDocument {
  format: 'mlenv-catalog';
  version: 1;
  exportedAt: number;
  images: CatalogImage[];
}

export interface CatalogImportResult {
  /** Entries written (added or replaced). */
  imported: number;
  /** Entries removed (mode 'replace' only). */
  removed: number;
}

export interface CatalogChanged {
  /** What changed the catalog. */
  reason: 'seed' | 'refresh' | 'tags' | 'add' | 'remove' | 'import';
  /** The entries concerned; empty when many changed (refresh, import). */
  repositories: string[];
}

/** An image repository name: lower-case path components ([a-z0-9] joined by . _ - ) separated by "/", optionally after a registry host[:port]. */
export const repositorySchema = z
  .string()
  .min(1)
  .max(255)
  .regex(
    /^(?:[a-zA-Z0-9.-]+(?::\d{1,5})?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/,
    'a repository such as nvidia/pytorch or 127.0.0.1:5000/team/app (lower case, no tag)',
  );

/** A tag (Docker's grammar: [\w][\w.-]{0,127}). */
export const tagSchema = z.string().min(1).max(128).regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'a tag such as 25.12-py3');

const architectureSchema = z.enum(ARCHITECTURES);
const line = (max: number) => z.string().max(max);

const variantSchema = z
  .object({ architecture: architectureSchema, compressedSize: z.number().int().min(0).nullable(), digest: line(80).nullable() })
  .strict();
const versionSchema = z
  .object({
    tag: tagSchema,
    compressedSize: z.number().int().min(0).nullable(),
    sizeEstimated: z.boolean(),
    updatedAt: z.number().int().min(0).nullable(),
    updatedAtEstimated: z.boolean(),
    architectures: z.array(architectureSchema).max(ARCHITECTURES.length),
    variants: z.array(variantSchema).max(16),
    signed: z.boolean().nullable(),
  })
  .strict();

/** One catalog entry in an import file: every field of CatalogImage, bounded. */
export const catalogImageSchema = z
  .object({
    repository: repositorySchema,
    registry: z.string().min(1).max(261).regex(/^[a-zA-Z0-9.-]+(:\d{1,5})?$/, 'a registry host such as nvcr.io or 127.0.0.1:5000'),
    pullName: line(520),
    name: z.string().min(1).max(128),
    displayName: z.string().min(1).max(200),
    summary: line(2000),
    description: line(200_000),
    publisher: line(200).nullable(),
    org: line(128).nullable(),
    team: line(128).nullable(),
    categories: z.array(z.string().min(1).max(100)).max(32),
    labels: z.array(z.string().min(1).max(200)).max(64),
    source: z.enum(CATALOG_SOURCES),
    gated: z.boolean(),
    jupyterLab: z.boolean(),
    framework: z.boolean(),
    jetson: z.boolean(),
    latestTag: tagSchema.nullable(),
    compressedSize: z.number().int().min(0).nullable(),
    sizeEstimated: z.boolean(),
    updatedAt: z.number().int().min(0).nullable(),
    updatedAtEstimated: z.boolean(),
    architectures: z.array(architectureSchema).max(ARCHITECTURES.length),
    popularity: z.number().min(0).max(1e12),
    logo: line(2048).nullable(),
    webUrl: line(2048).nullable(),
    versions: z.array(versionSchema).max(5000),
    fetchedAt: z.number().int().min(0),
  })
  .strict();

/** A whole import file (CatalogDocument). */
export const catalogDocumentSchema = z
  .object({
    format: z.literal('mlenv-catalog'),
    version: z.literal(1),
    exportedAt: z.number().int().min(0),
    images: z.array(catalogImageSchema).max(20_000),
  })
  .strict();

/** The largest import file accepted, in characters. */
export const MAX_CATALOG_IMPORT_CHARS = 64 * 1024 * 1024;

export const catalogSearchSchema = z
  .object({
    /** What the user typed; empty lists everything (most popular first). */
    text: z.string().max(200).default(''),
    category: z.string().min(1).max(100).optional(),
    /** Only images built for this architecture. */
    architecture: architectureSchema.optional(),
    source: z.enum(CATALOG_SOURCES).optional(),
    limit: z.number().int().min(1).max(500).default(50),
    offset: z.number().int().min(0).max(100_000).default(0),
  })
  .strict();

export const catalogAddSchema = z
  .object({
    /** [registry/]name[:tag] on any registry; a tag given here becomes the entry's first known tag. */
    reference: z.string().min(1).max(512),
    displayName: z.string().min(1).max(200).optional(),
    description: z.string().max(20_000).default(''),
    category: z.string().min(1).max(100).optional(),
    jupyterLab: z.boolean().default(false),
    framework: z.boolean().default(false),
  })
  .strict();

export const catalogRequests = {
  /** Ranked: exact repository, then repository/name prefix, then text rank (bm25), then popularity. Answers from the local store only. */
  'catalog.search': request(catalogSearchSchema).returns<CatalogSearchResult>(),
  /**
   * One entry with its description and known tags; an unknown repository is refused. With live, an
   * NGC entry's detail (Markdown overview, labels) is read from NGC first when the cached copy is old;
   * on failure the stored entry is returned as it is.
   */
  'catalog.get': request(z.object({ repository: repositorySchema, live: z.boolean().default(false) }).strict()).returns<CatalogImage>(),
  /** Known tags; with live, read again from the registry first (falls back to what is stored, with a warning). */
  'catalog.tags': request(z.object({ repository: repositorySchema, live: z.boolean().default(false) }).strict()).returns<CatalogTags>(),
  /**
   * Starts a background refresh from NGC (no-op while one runs) and answers the status at once;
   * progress and the outcome come as `catalog.status` events. With ifStale, only when the data is older
   * than the cache TTL (the catalog page opening); otherwise fresh answers are fetched again.
   */
  'catalog.refresh': request(z.object({ ifStale: z.boolean().default(false) }).strict()).returns<CatalogStatus>(),
  'catalog.status': request(z.object({}).strict()).returns<CatalogStatus>(),
  'catalog.categories': request(z.object({}).strict()).returns<CatalogCategory[]>(),
  /** Adds (or replaces) a custom image on any registry. */
  'catalog.add': request(catalogAddSchema).returns<CatalogImage>(),
  /** Removes a custom image (seed and NGC entries come back from their source, so they are refused). */
  'catalog.remove': request(z.object({ repository: repositorySchema }).strict()).returns<{ removed: boolean }>(),
  /** The whole catalog as a CatalogDocument. */
  'catalog.export': request(z.object({}).strict()).returns<CatalogDocument>(),
  /**
   * Imports a CatalogDocument given as JSON text. A bad file is refused whole, naming the location of
   * its first error (e.g. "images[3].versions[0].tag"); nothing is half-imported. `merge` adds and
   * replaces entries; `replace` also removes entries the file does not have.
   */
  'catalog.import': request(
    z.object({ json: z.string().min(1).max(MAX_CATALOG_IMPORT_CHARS), mode: z.enum(['merge', 'replace']).default('merge') }).strict(),
  ).returns<CatalogImportResult>(),
  /** Stores the NGC API key (nvapi-…) in the SecretStore (OS keychain where available); never logged, returned or put in the database. */
  'catalog.setApiKey': request(z.object({ key: z.string().min(1).max(8192) }).strict()).returns<{ set: true }>(),
  'catalog.clearApiKey': request(z.object({}).strict()).returns<{ removed: boolean }>(),
};

export const catalogEvents = {
  /** Whenever the status changes: refresh started, progress, finished, offline/online. */
  'catalog.status': event<CatalogStatus>(),
  /** The stored catalog changed: search again. */
  'catalog.changed': event<CatalogChanged>(),
};
