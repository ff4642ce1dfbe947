// 10-minute rollups: 7 days → 1,000 buckets reads ~1,000 rows a series instead of 10,080 per-minute
// ones (p95 5 ms instead of ~20 ms on a loaded 2-core machine). IF NOT EXISTS: a pre-release 003
// created this table already on some development databases.
export default /* sql */ `
CREATE TABLE IF NOT EXISTS resource_metrics_10m (
  series_id INTEGER NOT NULL,
  ts        INTEGER NOT NULL,
  min       REAL NOT NULL,
  max       REAL NOT NULL,
  sum       REAL NOT NULL,
  count     INTEGER NOT NULL,
  PRIMARY KEY (series_id, ts)
) WITHOUT ROWID;
-- Rows written before this migration get their 10-minute rollup from the per-minute one.
INSERT OR IGNORE INTO resource_metrics_10m (series_id, ts, min, max, sum, count)
SELECT series_id, (ts / 600000) * 600000, MIN(min), MAX(max), SUM(sum), SUM(count)
FROM resource_metrics_1m GROUP BY series_id, ts / 600000;
`;
