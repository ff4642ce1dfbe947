// One-click launch (issue #9): the overrides remembered per catalog repository (the last Customise…
// launch), and the images launched from the catalog most recently (the tray's relaunch menu), one row
// per repository so the table stays as small as the catalog.
export default /* sql */ `
CREATE TABLE launch_prefs (
  repository  TEXT PRIMARY KEY,        -- the catalog's key (nvidia/pytorch)
  overrides   TEXT NOT NULL,           -- JSON: LaunchOverrides as sent (the form's strings), secret env values left out
  updated_at  INTEGER NOT NULL
);

CREATE TABLE launch_recent (
  repository     TEXT PRIMARY KEY,
  tag            TEXT NOT NULL,
  display_name   TEXT NOT NULL,
  engine         TEXT NOT NULL,        -- the engine's id
  container_id   TEXT NOT NULL,
  container_name TEXT NOT NULL,
  launched_at    INTEGER NOT NULL
);
CREATE INDEX launch_recent_launched_at ON launch_recent (launched_at);
`;
