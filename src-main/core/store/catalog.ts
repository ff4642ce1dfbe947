// The catalog repository: catalog_images with their tags (catalog_versions), categories and full-text
// index (catalog_fts, contentless, one row per image under the image's rowid), the catalog's own
// state (catalog_meta) and the cache of NGC and registry answers (api_cache). Every statement on those
// tables is here; catalog_fts is written in the same transaction as the row it indexes.
import type { Architecture, CatalogCategory, CatalogImage, CatalogMatch, CatalogSource, CatalogVariant, CatalogVersion } from '@shared/contract';
import { openMemoryDatabase, type Db } from './db';

/** A catalog entry as stored: CatalogImage without pullName (it follows the mirror setting, so it is made when read). */
export interface StoredCatalogImage extends Omit<CatalogImage, 'pullName'> {
  /** When the tag list was last read from NGC or the registry (ms since epoch); null: never. */
  tagsFetchedAt: number | null;
  /** When NGC's detail (the Markdown overview) was last read (ms since epoch); null: never. */
  detailFetchedAt: number | null;
}

/** A search hit as stored: no description, no versions. */
export type StoredCatalogHit = Omit<StoredCatalogImage, 'description' | 'versions' | 'tagsFetchedAt' | 'detailFetchedAt'> & { match: CatalogMatch };

export interface CatalogQuery {
  /** The user's text, trimmed (compared whole with the repository, name and display name). */
  text: string;
  /** An FTS5 MATCH expression made from the text (search-text.ts), or null when it has no words. */
  match: string | null;
  category?: string;
  architecture?: Architecture;
  source?: CatalogSource;
  limit: number;
  offset: number;
}

export interface CachedAnswer {
  body: string;
  /** ms since epoch. */
  fetchedAt: number;
  ttlMs: number;
}

const IMAGE_COLUMNS = `i.repository, i.registry, i.name, i.display_name AS displayName, i.summary, i.publisher, i.org, i.team, i.source,
  i.gated, i.jupyter_lab AS jupyterLab, i.framework, i.jetson, i.latest_tag AS latestTag, i.compressed_size AS compressedSize,
  i.size_estimated AS sizeEstimated, i.updated_at AS updatedAt, i.updated_at_estimated AS updatedAtEstimated,
  i.architectures, i.categories, i.labels, i.popularity, i.logo, i.web_url AS webUrl, i.fetched_at AS fetchedAt`;

type Flag = 0 | 1;
interface ImageRow {
  repository: string;
  registry: string;
  name: string;
  displayName: string;
  summary: string;
  publisher: string | null;
  org: string | null;
  team: string | null;
  source: CatalogSource;
  gated: Flag;
  jupyterLab: Flag;
  framework: Flag;
  jetson: Flag;
  latestTag: string | null;
  compressedSize: number | null;
  sizeEstimated: Flag;
  updatedAt: number | null;
  updatedAtEstimated: Flag;
  architectures: string;
  popularity: number;
  logo: string | null;
  webUrl: string | null;
  fetchedAt: number;
  categories: string;
  labels: string;
}
interface VersionRow {
  tag: string;
  compressedSize: number | null;
  sizeEstimated: Flag;
  updatedAt: number | null;
  updatedAtEstimated: Flag;
  architectures: string;
  variants: string;
  signed: Flag | null;
}

const toHitFields = (r: ImageRow) => ({
  repository: r.repository,
  registry: r.registry,
  name: r.name,
  displayName: r.displayName,
  summary: r.summary,
  publisher: r.publisher,
  org: r.org,
  team: r.team,
  categories: JSON.parse(r.categories) as string[],
  labels: JSON.parse(r.labels) as string[],
  source: r.source,
  gated: r.gated === 1,
  jupyterLab: r.jupyterLab === 1,
  framework: r.framework === 1,
  jetson: r.jetson === 1,
  latestTag: r.latestTag,
  compressedSize: r.compressedSize,
  sizeEstimated: r.sizeEstimated === 1,
  updatedAt: r.updatedAt,
  updatedAtEstimated: r.updatedAtEstimated === 1,
  architectures: JSON.parse(r.architectures) as Architecture[],
  popularity: r.popularity,
  logo: r.logo,
  webUrl: r.webUrl,
  fetchedAt: r.fetchedAt,
});
const toVersion = (r: VersionRow): CatalogVersion => ({
  tag: r.tag,
  compressedSize: r.compressedSize,
  sizeEstimated: r.sizeEstimated === 1,
  updatedAt: r.updatedAt,
  updatedAtEstimated: r.updatedAtEstimated === 1,
  architectures: JSON.parse(r.architectures) as Architecture[],
  variants: JSON.parse(r.variants) as CatalogVariant[],
  signed: r.signed === null ? null : r.signed === 1,
});
const flag = (b: boolean): Flag => (b ? 1 : 0);
/** `text` with LIKE's wildcards escaped (ESCAPE '\'). */
const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
const MATCH_TIER: CatalogMatch[] = ['exact', 'prefix', 'text', 'all'];

/** bm25 weights of catalog_fts's columns: name, display_name, description, labels, categories, publisher. */
const BM25 = 'bm25(catalog_fts, 10, 8, 2, 3, 3, 2)';

function searchSql(withMatch: boolean): string {
  // MATERIALIZED: the FTS5 query runs once, not once per catalog row.
  const matched = withMatch
    ? `SELECT rowid AS id, ${BM25} AS score FROM catalog_fts WHERE catalog_fts MATCH @match`
    : 'SELECT NULL AS id, NULL AS score WHERE 0';
  const order = 'tier, CASE WHEN tier = 2 THEN score END, popularity DESC, display_name COLLATE NOCASE, repository';
  // Tier 0: the whole text is the repository, the name or the display name; 1: a repository path
  // segment, the name or the display name starts with it; 2: the words match (bm25 rank); 3: no text.
  // The page is picked from narrow rows first; only its rows are read whole (categories, labels).
  return `WITH m AS MATERIALIZED (${matched}),
  c AS (
    SELECT i.repository, i.popularity, i.display_name, m.score,
      CASE WHEN @text = '' THEN 3
           WHEN i.repository = @text COLLATE NOCASE OR i.name = @text COLLATE NOCASE OR i.display_name = @text COLLATE NOCASE THEN 0
           WHEN ('/' || i.repository) LIKE @segment ESCAPE '\\' OR i.name LIKE @prefix ESCAPE '\\' OR i.display_name LIKE @prefix ESCAPE '\\' THEN 1
           WHEN m.id IS NOT NULL THEN 2
      END AS tier
    FROM catalog_images AS i LEFT JOIN m ON m.id = i.rowid
    WHERE (@category IS NULL OR EXISTS (SELECT 1 FROM catalog_categories AS cc WHERE cc.repository = i.repository AND cc.name = @category COLLATE NOCASE))
      AND (@architecture IS NULL OR EXISTS (SELECT 1 FROM json_each(i.architectures) WHERE value = @architecture))
      AND (@source IS NULL OR i.source = @source)
  ),
  page AS (
    SELECT repository, tier, score, popularity, display_name, COUNT(*) OVER () AS total
    FROM c WHERE tier IS NOT NULL ORDER BY ${order} LIMIT @limit OFFSET @offset
  )
  SELECT ${IMAGE_COLUMNS}, page.tier AS tier, page.total AS total
  FROM page JOIN catalog_images AS i ON i.repository = page.repository
  ORDER BY ${order.replace(/\b(tier|score|popularity|display_name|repository)\b/g, 'page.$1')}`;
}

/** The catalog repository over `db`. Times are ms since epoch, always passed in. */
export function createCatalogRepository(db: Db) {
  const upsertImage = db.prepare(
    `INSERT INTO catalog_images (repository, registry, name, display_name, summary, description, publisher, org, team, source, gated,
       jupyter_lab, framework, jetson, latest_tag, compressed_size, size_estimated, updated_at, updated_at_estimated, architectures,
       categories, labels, popularity, logo, web_url, fetched_at, tags_fetched_at, detail_fetched_at)
     VALUES (@repository, @registry, @name, @displayName, @summary, @description, @publisher, @org, @team, @source, @gated,
       @jupyterLab, @framework, @jetson, @latestTag, @compressedSize, @sizeEstimated, @updatedAt, @updatedAtEstimated, @architectures,
       @categories, @labels, @popularity, @logo, @webUrl, @fetchedAt, @tagsFetchedAt, @detailFetchedAt)
     ON CONFLICT (repository) DO UPDATE SET registry = excluded.registry, name = excluded.name, display_name = excluded.display_name,
       summary = excluded.summary, description = excluded.description, publisher = excluded.publisher, org = excluded.org,
       team = excluded.team, source = excluded.source, gated = excluded.gated, jupyter_lab = excluded.jupyter_lab,
       framework = excluded.framework, jetson = excluded.jetson, latest_tag = excluded.latest_tag,
       compressed_size = excluded.compressed_size, size_estimated = excluded.size_estimated, updated_at = excluded.updated_at,
       updated_at_estimated = excluded.updated_at_estimated, architectures = excluded.architectures,
       categories = excluded.categories, labels = excluded.labels, popularity = excluded.popularity,
       logo = excluded.logo, web_url = excluded.web_url, fetched_at = excluded.fetched_at,
       tags_fetched_at = excluded.tags_fetched_at, detail_fetched_at = excluded.detail_fetched_at
     RETURNING rowid AS id`,
  );
  const deleteVersions = db.prepare('DELETE FROM catalog_versions WHERE repository = ?');
  const insertVersion = db.prepare(
    `INSERT INTO catalog_versions (repository, tag, position, compressed_size, size_estimated, updated_at, updated_at_estimated, architectures, variants, signed)
     VALUES (@repository, @tag, @position, @compressedSize, @sizeEstimated, @updatedAt, @updatedAtEstimated, @architectures, @variants, @signed)`,
  );
  const deleteCategories = db.prepare('DELETE FROM catalog_categories WHERE repository = ?');
  const insertCategory = db.prepare('INSERT OR IGNORE INTO catalog_categories (repository, name) VALUES (?, ?)');
  const deleteFts = db.prepare('DELETE FROM catalog_fts WHERE rowid = ?');
  const deleteFtsOf = db.prepare('DELETE FROM catalog_fts WHERE rowid = (SELECT rowid FROM catalog_images WHERE repository = ?)');
  const insertFts = db.prepare(
    `INSERT INTO catalog_fts (rowid, name, display_name, description, labels, categories, publisher)
     VALUES (@id, @name, @displayName, @description, @labels, @categories, @publisher)`,
  );
  const deleteImage = db.prepare('DELETE FROM catalog_images WHERE repository = ?');
  const oneImage = db.prepare(
    `SELECT ${IMAGE_COLUMNS}, i.description, i.tags_fetched_at AS tagsFetchedAt, i.detail_fetched_at AS detailFetchedAt
     FROM catalog_images AS i WHERE i.repository = ?`,
  );
  const allRepositories = db.prepare('SELECT repository FROM catalog_images ORDER BY repository');
  const versionsOf = db.prepare(
    `SELECT tag, compressed_size AS compressedSize, size_estimated AS sizeEstimated, updated_at AS updatedAt,
       updated_at_estimated AS updatedAtEstimated, architectures, variants, signed
     FROM catalog_versions WHERE repository = ? ORDER BY position, tag`,
  );
  const searchText = db.prepare(searchSql(true));
  const searchPlain = db.prepare(searchSql(false));
  const categoryCounts = db.prepare('SELECT name, COUNT(*) AS count FROM catalog_categories GROUP BY name ORDER BY count DESC, name COLLATE NOCASE');
  const countImages = db.prepare('SELECT COUNT(*) AS n FROM catalog_images');
  const getMeta = db.prepare('SELECT value FROM catalog_meta WHERE key = ?');
  const setMeta = db.prepare('INSERT INTO catalog_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  const deleteMeta = db.prepare('DELETE FROM catalog_meta WHERE key = ?');
  const cacheGet = db.prepare('SELECT body, fetched_at AS fetchedAt, ttl_ms AS ttlMs FROM api_cache WHERE key = ?');
  const cachePut = db.prepare(
    'INSERT INTO api_cache (key, body, fetched_at, ttl_ms) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at, ttl_ms = excluded.ttl_ms',
  );
  const cachePrune = db.prepare('DELETE FROM api_cache WHERE fetched_at + ttl_ms < ?');

  function put(image: StoredCatalogImage): void {
    const { id } = upsertImage.get({
      ...image,
      gated: flag(image.gated),
      jupyterLab: flag(image.jupyterLab),
      framework: flag(image.framework),
      jetson: flag(image.jetson),
      sizeEstimated: flag(image.sizeEstimated),
      updatedAtEstimated: flag(image.updatedAtEstimated),
      architectures: JSON.stringify(image.architectures),
      categories: JSON.stringify(image.categories),
      labels: JSON.stringify(image.labels),
    }) as { id: number };
    deleteVersions.run(image.repository);
    image.versions.forEach((v, position) =>
      insertVersion.run({
        repository: image.repository,
        tag: v.tag,
        position,
        compressedSize: v.compressedSize,
        sizeEstimated: flag(v.sizeEstimated),
        updatedAt: v.updatedAt,
        updatedAtEstimated: flag(v.updatedAtEstimated),
        architectures: JSON.stringify(v.architectures),
        variants: JSON.stringify(v.variants),
        signed: v.signed === null ? null : flag(v.signed),
      }),
    );
    deleteCategories.run(image.repository);
    for (const c of image.categories) insertCategory.run(image.repository, c);
    deleteFts.run(id);
    insertFts.run({
      id,
      // The path segments under the org (or registry) are words of the name too (rapidsai in
      // nvidia/rapidsai/base); the org itself is matched by the prefix tier, not in every name.
      name: [...image.repository.split('/').slice(1, -1), image.name].join(' '),
      displayName: image.displayName,
      description: image.summary,
      labels: image.labels.join(' \u2022 '),
      categories: image.categories.join(' \u2022 '),
      publisher: image.publisher ?? '',
    });
  }

  function get(repository: string): StoredCatalogImage | undefined {
    const r = oneImage.get(repository) as (ImageRow & { description: string; tagsFetchedAt: number | null; detailFetchedAt: number | null }) | undefined;
    if (!r) return undefined;
    return {
      ...toHitFields(r),
      description: r.description,
      versions: (versionsOf.all(repository) as VersionRow[]).map(toVersion),
      tagsFetchedAt: r.tagsFetchedAt,
      detailFetchedAt: r.detailFetchedAt,
    };
  }

  function remove(repository: string): boolean {
    deleteFtsOf.run(repository);
    return deleteImage.run(repository).changes > 0; // versions and categories go with it (ON DELETE CASCADE)
  }

  function search(q: CatalogQuery): { hits: StoredCatalogHit[]; total: number } {
    const text = q.text.trim();
    const escaped = likeEscape(text);
    const params: Record<string, unknown> = {
      text,
      segment: `%/${escaped}%`,
      prefix: `${escaped}%`,
      category: q.category ?? null,
      architecture: q.architecture ?? null,
      source: q.source ?? null,
      limit: q.limit,
      offset: q.offset,
    };
    if (q.match) params.match = q.match;
    const rows = (q.match ? searchText : searchPlain).all(params) as (ImageRow & { tier: number; total: number })[];
    // COUNT(*) OVER () rides on the rows: a page past the end has none, so count apart then.
    const total = rows[0]?.total ?? (q.offset > 0 ? search({ ...q, offset: 0, limit: 1 }).total : 0);
    return { hits: rows.map((r) => ({ ...toHitFields(r), match: MATCH_TIER[r.tier]! })), total };
  }

  const putAll = db.transaction((images: StoredCatalogImage[]) => {
    for (const image of images) put(image);
  });
  const importAll = db.transaction((images: StoredCatalogImage[], mode: 'merge' | 'replace') => {
    let removed = 0;
    if (mode === 'replace') {
      const keep = new Set(images.map((i) => i.repository));
      for (const { repository } of allRepositories.all() as { repository: string }[]) if (!keep.has(repository) && remove(repository)) removed++;
    }
    for (const image of images) put(image);
    return { imported: images.length, removed };
  });

  return {
    /** Writes entries whole (their versions, categories, labels and index replaced), all in one transaction. */
    put(images: StoredCatalogImage[]): void {
      putAll(images);
    },
    /** One entry with its versions (in stored order), or undefined. */
    get,
    /** Every entry, by repository (for export). */
    all: (): StoredCatalogImage[] => (allRepositories.all() as { repository: string }[]).map((r) => get(r.repository)!),
    /** Removes an entry and all that hangs on it; true when there was one. */
    remove: (repository: string): boolean => db.transaction(() => remove(repository))(),
    /** Writes an import in one transaction: `replace` also removes entries the import does not have. */
    importAll: (images: StoredCatalogImage[], mode: 'merge' | 'replace'): { imported: number; removed: number } => importAll(images, mode),
    /** Runs `fn` (calls of this repository) in one transaction: all or nothing. */
    write: <T>(fn: () => T): T => db.transaction(fn)(),
    /**
     * Ranked search: exact repository/name/display name, then a path segment, name or display name
     * starting with the text, then words matched by FTS5 (bm25, weighted by column), then popularity;
     * filtered by category (case-insensitive), architecture and source. `total` counts all matches.
     */
    search,
    /** Categories with their image counts, most used first. */
    categories: (): CatalogCategory[] => categoryCounts.all() as CatalogCategory[],
    count: (): number => (countImages.get() as { n: number }).n,
    meta: {
      get: (key: string): string | undefined => (getMeta.get(key) as { value: string } | undefined)?.value,
      set: (key: string, value: string): void => void setMeta.run(key, value),
      delete: (key: string): void => void deleteMeta.run(key),
    },
    /** The response cache (api_cache): answers by request key. */
    cache: {
      get: (key: string): CachedAnswer | undefined => cacheGet.get(key) as CachedAnswer | undefined,
      put: (key: string, body: string, fetchedAt: number, ttlMs: number): void => void cachePut.run(key, body, fetchedAt, ttlMs),
      /** Deletes answers whose TTL ran out before `now`; returns how many. */
      prune: (now: number): number => cachePrune.run(now).changes,
    },
  };
}
export type CatalogRepository = ReturnType<typeof createCatalogRepository>;

/**
 * Scratch catalog repositories for a read-only core (CatalogServiceDeps.scratch): each `take()` opens an
 * empty database of the schema in memory (openMemoryDatabase, `nativeBinding` as there); `close()` closes
 * every one taken, `taken()` counts them.
 */
export function createScratchCatalogs(nativeBinding?: string) {
  const dbs: Db[] = [];
  return {
    take(): CatalogRepository {
      const db = openMemoryDatabase(nativeBinding);
      dbs.push(db);
      return createCatalogRepository(db);
    },
    taken: (): number => dbs.length,
    close(): void {
      for (const db of dbs) db.close();
    },
  };
}
