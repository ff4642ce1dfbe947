// `mlenv logs <id|name> [-f]`: stdout lines to stdout, stderr lines to stderr, as the engine kept them.
import type { EventPayload, LogLine } from '@shared/contract';
import { parse, UsageError } from './args';
import { withCore } from './core';
import { DATA_DIR_OPTION } from './docker-common';

export const LOGS_USAGE = 'mlenv logs <id|name> [-f|--follow] [--tail N] [--timestamps] [--data-dir DIR]';

export async function logs(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, {
    follow: { type: 'boolean', short: 'f' },
    tail: { type: 'string', default: '200' },
    timestamps: { type: 'boolean' },
    ...DATA_DIR_OPTION,
  });
  const [id] = positionals;
  if (!id || positionals.length > 1) throw new UsageError(`name one container: ${LOGS_USAGE}`);
  const tail = Number(values.tail);
  if (!/^\d+$/.test(values.tail!) || tail < 1) throw new UsageError(`--tail ${values.tail}: use a whole number of lines, 1 or more`);
  const write = (lines: LogLine[]) => {
    for (const l of lines) {
      const text = `${values.timestamps && l.ts ? `${new Date(l.ts).toISOString()} ` : ''}${l.text}\n`;
      (l.stream === 'stderr' ? process.stderr : process.stdout).write(text);
    }
  };
  await withCore(values['data-dir'], { command: 'mlenv logs', readOnly: true }, async (core) => {
    if (!values.follow) return write(await core.call('logs.tail', { id, tail }));
    // This command is the follow's connection: its lines come here, and only here; the follow ends with it.
    await new Promise<void>((resolve, reject) => {
      core.onEvent((name, payload) => {
        if (name !== 'logs.lines') return;
        const p = payload as EventPayload<'logs.lines'>;
        write(p.lines);
        if (p.ended) resolve();
      });
      process.once('SIGINT', () => resolve());
      core.call('logs.follow', { id, tail }).catch(reject);
      core.lost.catch(reject); // the running app went away mid-follow: said, exit 1
    });
  });
}
