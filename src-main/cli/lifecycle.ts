// `mlenv stop|start|rm <id|name>…`: the app's own operations (journaled, refused on containers it did not create).
import { parse, UsageError } from './args';
import { ControlError } from '../core/control/client';
import { withCore } from './core';
import { DATA_DIR_OPTION, printJson } from './docker-common';

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
    await withCore(values['data-dir'], { command: `mlenv ${op}`, readOnly: false }, async (core) => {
      const results: unknown[] = [];
      const failures: string[] = [];
      for (const id of positionals) {
        try {
          const r =
            op === 'rm'
              ? await core.call('containers.remove', { id, force: values.force ?? false })
              : op === 'stop'
                ? // the engine waits up to -t seconds (default 10) before it kills: so may we
                  await core.call('containers.stop', { id, ...(t !== undefined ? { timeoutSeconds: t } : {}) }, ((t ?? 10) + 5) * 1000)
                : await core.call('containers.start', { id });
          results.push(r);
          if (!values.json) process.stdout.write(`${id}\n`);
        } catch (e) {
          failures.push(`${id}: ${(e as Error).message}`);
          if (e instanceof ControlError) {
            // The app did not answer: whether it acted is unknown, so the rest is not tried (nor done here).
            const rest = positionals.slice(positionals.indexOf(id) + 1);
            if (rest.length) failures.push(`not tried: ${rest.join(' ')}`);
            break;
          }
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
