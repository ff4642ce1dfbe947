// Model tiers: the model library, the move jobs, every move as a scaling event, and the tier
// manager's own state (limits, predictor) as JSON by key.
export default /* sql */ `
-- One row a model in the library. spec: the validated ModelSpec as JSON, secret env values masked
-- (the values live in the secret store). tier: where it was last verified to be.
CREATE TABLE models (
  name            TEXT PRIMARY KEY,
  spec            TEXT NOT NULL,
  image           TEXT NOT NULL,
  tier            TEXT NOT NULL CHECK (tier IN ('hot', 'warm', 'swap', 'cold')),
  container_id    TEXT,
  measured_bytes  INTEGER,              -- the container's peak memory (cgroup), NULL until measured
  usage_score     REAL NOT NULL DEFAULT 0,  -- decayed request count as of last_used_at
  last_used_at    INTEGER,
  entered_tier_at INTEGER NOT NULL,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);

-- One row a move of a model between tiers.
CREATE TABLE tier_jobs (
  id            TEXT PRIMARY KEY,
  model         TEXT NOT NULL,
  from_tier     TEXT NOT NULL CHECK (from_tier IN ('hot', 'warm', 'swap', 'cold')),
  to_tier       TEXT NOT NULL CHECK (to_tier IN ('hot', 'warm', 'swap', 'cold')),
  state         TEXT NOT NULL CHECK (state IN ('queued', 'running', 'verifying', 'done', 'failed', 'rolled_back')),
  trigger       TEXT NOT NULL,
  reason        TEXT NOT NULL,
  prediction    TEXT,                   -- JSON {ms, lowMs, highMs, samples}
  actual_ms     REAL,
  memory_before INTEGER,
  memory_after  INTEGER,
  verification  TEXT,
  error         TEXT,
  parent_id     TEXT,
  created_at    INTEGER NOT NULL,
  started_at    INTEGER,
  finished_at   INTEGER
);
CREATE INDEX tier_jobs_created ON tier_jobs (created_at);
CREATE INDEX tier_jobs_model ON tier_jobs (model, created_at);

-- Every move, manual or automatic, succeeded or not.
CREATE TABLE scaling_events (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  type          TEXT NOT NULL CHECK (type IN ('scale_up', 'scale_down', 'auto_scale_triggered', 'manual_scale', 'scale_cancelled')),
  model         TEXT NOT NULL,
  from_tier     TEXT NOT NULL,
  to_tier       TEXT NOT NULL,
  memory_before INTEGER,
  memory_after  INTEGER,
  reason        TEXT NOT NULL,
  trigger       TEXT NOT NULL,
  job_id        TEXT,
  started_at    INTEGER NOT NULL,
  finished_at   INTEGER,
  duration_ms   REAL,
  success       INTEGER NOT NULL CHECK (success IN (0, 1)),
  error         TEXT
);
CREATE INDEX scaling_events_started ON scaling_events (started_at);
CREATE INDEX scaling_events_model ON scaling_events (model, started_at);

-- The tier manager's state by key ('limits', 'predictor'): JSON.
CREATE TABLE tier_state (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
`;
