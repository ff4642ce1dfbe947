// Admission control (issue #10): the policy (one row, JSON checked by the contract's schema when
// read), project quotas, every decision (dry runs included; previews are not recorded), and the
// reservation ledger that serialises decisions on one engine (BEGIN IMMEDIATE, core/store/admission.ts).
export default /* sql */ `
CREATE TABLE admission_policy (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  policy      TEXT NOT NULL,
  updated_at  INTEGER NOT NULL,
  updated_by  TEXT NOT NULL
);

CREATE TABLE project_quotas (
  project       TEXT PRIMARY KEY,
  containers    INTEGER CHECK (containers IS NULL OR containers >= 0),
  memory_bytes  INTEGER CHECK (memory_bytes IS NULL OR memory_bytes > 0),
  cpus          REAL CHECK (cpus IS NULL OR cpus > 0),
  gpus          INTEGER CHECK (gpus IS NULL OR gpus >= 0),
  updated_at    INTEGER NOT NULL,
  updated_by    TEXT NOT NULL
);

CREATE TABLE admission_decisions (
  id              INTEGER PRIMARY KEY,
  ts              INTEGER NOT NULL,
  engine          TEXT NOT NULL,
  action          TEXT NOT NULL CHECK (action IN ('launch', 'start', 'unpause', 'restart')),
  project         TEXT NOT NULL,
  container_id    TEXT,
  container_name  TEXT,
  outcome         TEXT NOT NULL CHECK (outcome IN ('admitted', 'rejected', 'violation')),
  mode            TEXT NOT NULL CHECK (mode IN ('enforce', 'dry_run', 'audit')),
  actor           TEXT NOT NULL,
  summary         TEXT NOT NULL,
  request         TEXT NOT NULL,
  facts           TEXT NOT NULL,
  checks          TEXT NOT NULL,
  would_reject    INTEGER NOT NULL
);
CREATE INDEX admission_decisions_ts ON admission_decisions (ts);
CREATE INDEX admission_decisions_container ON admission_decisions (container_id);
CREATE INDEX admission_decisions_project ON admission_decisions (project, ts);

CREATE TABLE admission_reservations (
  id               INTEGER PRIMARY KEY,
  decision_id      INTEGER NOT NULL REFERENCES admission_decisions (id) ON DELETE CASCADE,
  engine           TEXT NOT NULL,
  project          TEXT NOT NULL,
  container_id     TEXT,
  container_name   TEXT,
  -- What the host's memory grows by (0 for a container already holding its memory: unpause, restart of a running one).
  memory_bytes     INTEGER NOT NULL,
  -- What the project's memory quota counts (the limit, or the policy's default when the launch sets none).
  memory_counted   INTEGER NOT NULL,
  cpus             REAL,
  gpus             TEXT,
  new_container    INTEGER NOT NULL,
  state            TEXT NOT NULL CHECK (state IN ('held', 'committed', 'released', 'expired')),
  owner_pid        INTEGER NOT NULL,
  created_at       INTEGER NOT NULL,
  expires_at       INTEGER NOT NULL,
  settled_at       INTEGER,
  reason           TEXT
);
CREATE INDEX admission_reservations_engine ON admission_reservations (engine, state);
CREATE UNIQUE INDEX admission_reservations_decision ON admission_reservations (decision_id);
`;
