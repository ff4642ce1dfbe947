// `mlenv stop|start|rm <id|name>…`: the app's own operations (journaled, refused on containers it did not create).
import { parse, UsageError } from './args';
import { DATA_DIR_OPTION, printJson, request, withApp } from './docker-common';

export const STOP_USAGE = 'mlenv stop <id|name>… [-t SECONDS] [--json] [--data-dir DIR]';
export const START_USAGE = 'mlenv start <id|name>… [--json] [--data-dir DIR]';
export const RM_USAGE = 'mlenv rm <id|name>… [--force] [--json] [--data-dir DIR]';

function lifecycle(op: 'stop' | 'start' | 'rm', usage: string) {
  return async (argv: string[]): Promise<void> => {
    const { values, positionals } = parse(argv, {
      json: { type: 'boolean' },
      force: { type: 'boolean' },
      time: { type: 'string', short: 't' },
      ...DATA_DIR_OPTION,
    });
    if (!positionals.length) throw new UsageError(`name at least one container: ${usage}`);
    if (op !== 'rm' && values.force) throw new UsageError(`--force applies to rm only: ${usage}`);
    if (op !== 'stop' && values.time !== undefined) throw new UsageError(`-t applies to stop only: ${usage}`);
    const t = values.time === undefined ? undefined : Number(values.time);
    if (t !== undefined && (!/^\d+$/.test(values.time!) || t > 600)) throw new UsageError(`-t ${values.time}: use whole seconds from 0 to 600`);
    await withApp(values['data-dir'], async (app) => {
      const results: unknown[] = [];
      const failures: string[] = [];
      for (const id of positionals) {
        try {
          const r =
            op === 'rm'
              ? await request(app, 'containers.remove', { id, force: values.force ?? false })
              : op === 'stop'
                ? await request(app, 'containers.stop', { id, ...(t !== undefined ? { timeoutSeconds: t } : {}) })
                : await request(app, 'containers.start', { id });
          results.push(r);
          if (!values.json) process.stdout.write(`${id}\n`);
        } catch (e) {
          failures.push(`${id}: ${(e as Error).message}`);
        }
      }
      if (values.json) printJson(results);
      if (failures.length) throw new Error(failures.join('\nmlenv: '));
    });
  };
}

export const stop = lifecycle('stop', STOP_USAGE);
export const start = lifecycle('start', START_USAGE);
export const rm = lifecycle('rm', RM_USAGE);
