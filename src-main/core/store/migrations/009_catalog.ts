// The image catalog (issue #9): one row per image keyed by its repository (nvidia/pytorch, never a
// display name), its tags and categories; a full-text index (FTS5) over the searchable text;
// a small key/value table for the catalog's own state (seed version, last refresh); and the cache of
// NGC and registry answers (request key → body, when fetched, how long it stays fresh).
export default /* sql */ `
CREATE TABLE catalog_images (
  repository           TEXT PRIMARY KEY,
  registry             TEXT NOT NULL,
  name                 TEXT NOT NULL,
  display_name         TEXT NOT NULL,
  summary              TEXT NOT NULL DEFAULT '',
  description          TEXT NOT NULL DEFAULT '',
  publisher            TEXT,
  org                  TEXT,
  team                 TEXT,
  source               TEXT NOT NULL CHECK (source IN ('seed', 'ngc', 'custom')),
  gated                INTEGER NOT NULL DEFAULT 0,
  jupyter_lab          INTEGER NOT NULL DEFAULT 0,
  framework            INTEGER NOT NULL DEFAULT 0,
  jetson               INTEGER NOT NULL DEFAULT 0,
  latest_tag           TEXT,
  compressed_size      INTEGER,
  size_estimated       INTEGER NOT NULL DEFAULT 0,
  updated_at           INTEGER,
  updated_at_estimated INTEGER NOT NULL DEFAULT 0,
  architectures        TEXT NOT NULL DEFAULT '[]',
  -- JSON arrays as read back (catalog_categories holds the categories again, for filters and counts).
  categories           TEXT NOT NULL DEFAULT '[]',
  labels               TEXT NOT NULL DEFAULT '[]',
  popularity           REAL NOT NULL DEFAULT 0,
  logo                 TEXT,
  web_url              TEXT,
  fetched_at           INTEGER NOT NULL,
  -- When the tag list was last read from NGC or the registry (NULL: never, only what the source listed).
  tags_fetched_at      INTEGER,
  -- When the NGC detail (Markdown overview) was last read (NULL: never).
  detail_fetched_at    INTEGER
);
CREATE INDEX catalog_images_popularity ON catalog_images (popularity DESC);

CREATE TABLE catalog_versions (
  repository           TEXT NOT NULL REFERENCES catalog_images (repository) ON DELETE CASCADE,
  tag                  TEXT NOT NULL,
  position             INTEGER NOT NULL,
  compressed_size      INTEGER,
  size_estimated       INTEGER NOT NULL DEFAULT 0,
  updated_at           INTEGER,
  updated_at_estimated INTEGER NOT NULL DEFAULT 0,
  architectures        TEXT NOT NULL DEFAULT '[]',
  variants             TEXT NOT NULL DEFAULT '[]',
  signed               INTEGER,
  PRIMARY KEY (repository, tag)
) WITHOUT ROWID;

CREATE TABLE catalog_categories (
  repository TEXT NOT NULL REFERENCES catalog_images (repository) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  PRIMARY KEY (repository, name)
) WITHOUT ROWID;
CREATE INDEX catalog_categories_name ON catalog_categories (name);

-- The full-text index: one row per catalog_images row, with that row's rowid; contentless (the text
-- lives in catalog_images), kept by the catalog repository in the same transaction as the row.
-- \`description\` is NGC's description of the image (its search field, catalog_images.summary); the
-- long Markdown overview is not indexed: it names every framework in passing and would match nearly any word.
CREATE VIRTUAL TABLE catalog_fts USING fts5 (
  name, display_name, description, labels, categories, publisher,
  content = '',
  contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3'
);

CREATE TABLE catalog_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE api_cache (
  key        TEXT PRIMARY KEY,
  body       TEXT NOT NULL,
  fetched_at INTEGER NOT NULL,
  ttl_ms     INTEGER NOT NULL
) WITHOUT ROWID;
`;
