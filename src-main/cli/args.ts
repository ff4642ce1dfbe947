import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake in how the command was typed: printed as one line, exit code 2. */
export class UsageError extends Error {}

/**
 * The command's arguments ask for its usage: `--help` or `-h` among them, before a `--` (the words
 * after it are a container's own command, whose --help is its own).
 */
export function asksForHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end >= 0 ? argv.slice(0, end) : argv).some((a) => a === '--help' || a === '-h');
}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function parsePort(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535) throw new UsageError(`--port ${text}: use a number from 0 to 65535 (0 picks any free port)`);
  return n;
}
