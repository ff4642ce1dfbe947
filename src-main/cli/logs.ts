// `mlenv logs <id|name> [-f]`: stdout lines to stdout, stderr lines to stderr, as the engine kept them.
import type { LogLine } from '@shared/contract';
import { parse, UsageError } from './args';
import { DATA_DIR_OPTION, request, withApp } from './docker-common';

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
  await withApp(values['data-dir'], async (app) => {
    if (!values.follow) return write(await request(app, 'logs.tail', { id, tail }));
    let followId = '';
    await new Promise<void>((resolve, reject) => {
      app.bus.on('logs.lines', (p) => {
        if (p.followId !== followId) return;
        write(p.lines);
        if (p.ended) resolve();
      });
      process.once('SIGINT', () => resolve());
      request(app, 'logs.follow', { id, tail })
        .then((r) => (followId = r.followId))
        .catch(reject);
    });
    if (followId) await request(app, 'logs.unfollow', { followId });
  });
}
