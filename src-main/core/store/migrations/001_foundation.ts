export default /* sql */ `
CREATE TABLE settings (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,           -- JSON
  updated_at INTEGER NOT NULL          -- ms since epoch
);

-- Every operation the app performs, every failure it reports, every Docker event about our containers.
CREATE TABLE events (
  id           INTEGER PRIMARY KEY,
  ts           INTEGER NOT NULL,       -- ms since epoch
  type         TEXT NOT NULL,          -- e.g. container.start, request.failed, settings.invalid
  container_id TEXT,
  container    TEXT,                   -- name, kept after the container is gone
  image        TEXT,
  engine       TEXT,
  ports        TEXT,                   -- JSON
  actor        TEXT NOT NULL DEFAULT 'app',   -- app | user | docker
  outcome      TEXT NOT NULL DEFAULT 'ok',    -- ok | error
  error        TEXT,
  details      TEXT                    -- JSON
);
CREATE INDEX events_ts ON events (ts);
CREATE INDEX events_container ON events (container_id, ts);
`;
