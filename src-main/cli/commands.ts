// The `mlenv` commands: each a module of its own, registered here by name with its usage.
import { admission, ADMISSION_USAGE, quota, QUOTA_USAGE } from './admission';
import { catalog, CATALOG_USAGE } from './catalog';
import { db, DB_USAGE } from './db';
import { health, HEALTH_USAGE } from './health';
import { launch, LAUNCH_USAGE } from './launch';
import { rm, RM_USAGE, start, START_USAGE, stop, STOP_USAGE } from './lifecycle';
import { logs, LOGS_USAGE } from './logs';
import { models, MODELS_USAGE, select, SELECT_USAGE, tier, TIER_USAGE } from './models';
import { ps, PS_USAGE } from './ps';
import { serve, SERVE_USAGE } from './serve';
import { stats, STATS_USAGE } from './stats';

export interface Command {
  /** Its usage: one line per form, joined with "\n  " (printed under "Usage:" indented by two). */
  usage: string;
  run: (argv: string[]) => Promise<void>;
}

/** Every `mlenv` command by name, in the order `mlenv --help` lists them. */
export const COMMANDS: Readonly<Record<string, Command>> = {
  serve: { usage: SERVE_USAGE, run: serve },
  ps: { usage: PS_USAGE, run: ps },
  launch: { usage: LAUNCH_USAGE, run: launch },
  logs: { usage: LOGS_USAGE, run: logs },
  start: { usage: START_USAGE, run: start },
  stop: { usage: STOP_USAGE, run: stop },
  rm: { usage: RM_USAGE, run: rm },
  health: { usage: HEALTH_USAGE, run: health },
  stats: { usage: STATS_USAGE, run: stats },
  db: { usage: DB_USAGE, run: db },
  catalog: { usage: CATALOG_USAGE, run: catalog },
  models: { usage: MODELS_USAGE, run: models },
  tier: { usage: TIER_USAGE, run: tier },
  select: { usage: SELECT_USAGE, run: select },
  admission: { usage: ADMISSION_USAGE, run: admission },
  quota: { usage: QUOTA_USAGE, run: quota },
};
