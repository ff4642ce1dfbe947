export default /* sql */ `
-- Engines a user added (the local engine is implicit: DOCKER_HOST or the default socket).
CREATE TABLE engines (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  kind       TEXT NOT NULL,            -- unix | tcp | ssh
  config     TEXT NOT NULL,            -- JSON: socket path / host, port, TLS file paths, ssh user (no secrets)
  created_at INTEGER NOT NULL
);

-- Every container we created, kept after it is removed (the events and health rows name it).
CREATE TABLE container_instances (
  id          TEXT PRIMARY KEY,        -- the engine's container id
  engine      TEXT NOT NULL,
  name        TEXT NOT NULL,
  image       TEXT NOT NULL,
  project     TEXT NOT NULL,
  spec        TEXT NOT NULL,           -- JSON: the validated launch spec
  ports       TEXT,                    -- JSON: ports actually bound at the last start
  created_at  INTEGER NOT NULL,
  removed_at  INTEGER
);
CREATE INDEX container_instances_name ON container_instances (name);

-- Each container's health every interval; trimmed to the retention.
CREATE TABLE health_snapshots (
  container_id TEXT NOT NULL,
  ts           INTEGER NOT NULL,
  state        TEXT NOT NULL,          -- healthy | warning | critical | stopped
  reasons      TEXT NOT NULL,          -- JSON array of sentences
  cpu_percent  REAL,
  memory_percent REAL,
  PRIMARY KEY (container_id, ts)
) WITHOUT ROWID;
CREATE INDEX health_snapshots_ts ON health_snapshots (ts);

-- Who we log in as, per registry; the secret itself lives in the OS keychain / secrets file.
CREATE TABLE registry_logins (
  registry   TEXT PRIMARY KEY,
  username   TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
`;
