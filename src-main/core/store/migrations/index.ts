// Numbered migrations, applied in order at start; `PRAGMA user_version` records the last one applied.
// Add a file NNN_name.ts exporting its SQL and list it here; never edit one that has shipped.
import m001 from './001_foundation';
import m002 from './002_docker';
import m003 from './003_metrics';
import m004 from './004_metrics_10m';
import m005 from './005_events_coalesce';
import m006 from './006_mask_secrets';
import m007 from './007_engine_ids';
import m008 from './008_container_desired_state';
import m009 from './009_catalog';
import m010 from './010_admission';
import m011 from './011_tiers';
import m012 from './012_launch_prefs';

export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  { version: 1, name: 'foundation', sql: m001 },
  { version: 2, name: 'docker', sql: m002 },
  { version: 3, name: 'metrics', sql: m003 },
  { version: 4, name: 'metrics_10m', sql: m004 },
  { version: 5, name: 'events_coalesce', sql: m005 },
  { version: 6, name: 'mask_secrets', sql: m006 },
  { version: 7, name: 'engine_ids', sql: m007 },
  { version: 8, name: 'container_desired_state', sql: m008 },
  { version: 9, name: 'catalog', sql: m009 },
  { version: 10, name: 'admission', sql: m010 },
  { version: 11, name: 'tiers', sql: m011 },
  { version: 12, name: 'launch_prefs', sql: m012 },
];
