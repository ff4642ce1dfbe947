import path from 'node:path';
import { defaultDataDir } from '../core/paths';
import { DB_FILE, integrityCheck, openDatabase } from '../core/store/db';
import { parse, UsageError } from './args';
import { DATA_DIR_OPTION } from './docker-common';

export const DB_USAGE = 'mlenv db check [--data-dir DIR]';

/** `mlenv db check`: SQLite's own integrity check of mlenv.db (opening it applies pending migrations). */
export async function db(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, DATA_DIR_OPTION);
  if (positionals[0] !== 'check') throw new UsageError(`usage: ${DB_USAGE}`);
  const dir = values['data-dir'] ? path.resolve(values['data-dir']) : defaultDataDir();
  const handle = openDatabase(dir);
  try {
    const problems = integrityCheck(handle).filter((r) => r !== 'ok');
    if (problems.length) throw new Error(`${path.join(dir, DB_FILE)} is damaged:\n${problems.join('\n')}`);
    process.stdout.write(`${path.join(dir, DB_FILE)}: ok\n`);
  } finally {
    handle.close();
  }
}
