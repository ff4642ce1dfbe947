// Numbered migrations, applied in order at start; `PRAGMA user_version` records the last one applied.
// Add a file NNN_name.ts exporting its SQL and list it here; never edit one that has shipped.
import m001 from './001_foundation';
import m002 from './002_docker';
import m003 from './003_metrics';
import m004 from './004_metrics_10m';
import m005 from './005_events_coalesce';

export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  { version: 1, name: 'foundation', sql: m001 },
  { version: 2, name: 'docker', sql: m002 },
  { version: 3, name: 'metrics', sql: m003 },
  { version: 4, name: 'metrics_10m', sql: m004 },
  { version: 5, name: 'events_coalesce', sql: m005 },
];
