// `mlenv`: the command-line entry. Each command is a module of its own.
import { VERSION } from '../version';
import { admission, ADMISSION_USAGE, quota, QUOTA_USAGE } from './admission';
import { UsageError } from './args';
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

const COMMANDS: Record<string, { usage: string; run: (argv: string[]) => Promise<void> }> = {
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

const help = () =>
  `MLEnv Desktop ${VERSION}: GPU containers on your own machine.\n\nUsage:\n${Object.values(COMMANDS)
    .map((c) => `  ${c.usage}`)
    .join('\n')}\n  mlenv --version\n`;

async function main(argv: string[]) {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') return void process.stdout.write(help());
  if (name === '--version' || name === 'version') return void process.stdout.write(`${VERSION}\n`);
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command "${name}"; run mlenv --help`);
  await command.run(rest);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`mlenv: ${(e as Error).message}\n`);
  process.exit(e instanceof UsageError ? 2 : 1);
});
