// `mlenv health [<id|name>]`: every managed container's health, or one container's report with its
// recent history. The running app's own verdicts when it answers; else judged here, now (with a couple
// of seconds of streaming stats so CPU and memory count), by a core that writes nothing.
import { parse, UsageError } from './args';
import { withCore } from './core';
import { DATA_DIR_OPTION, printJson, table } from './docker-common';

export const HEALTH_USAGE = 'mlenv health [<id|name>] [--hours N] [--json] [--data-dir DIR]';

export async function health(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' }, hours: { type: 'string', default: '24' }, ...DATA_DIR_OPTION });
  if (positionals.length > 1) throw new UsageError(`at most one container: ${HEALTH_USAGE}`);
  const hours = Number(values.hours);
  if (!(hours >= 1 && hours <= 720)) throw new UsageError(`--hours ${values.hours}: use 1 to 720`);
  await withCore(values['data-dir'], { command: 'mlenv health', readOnly: true }, async (core) => {
    const app = core.app;
    if (app) {
      if (app.engine.get().state !== 'connected') throw new Error(`the Docker engine is unreachable at ${app.engine.get().host}: ${app.engine.get().error ?? ''}`);
      app.docker.start();
      await new Promise((r) => setTimeout(r, 2500)); // two streaming-stats samples give a CPU figure
      await app.health.checkAll();
    }
    const [id] = positionals;
    if (id) {
      const report = await core.call('health.report', { id, hours });
      if (values.json) return printJson(report);
      const h = report.current;
      process.stdout.write(`${h.name} (${h.id.slice(0, 12)}): ${h.state}\n${h.reasons.map((r) => `  - ${r}\n`).join('')}`);
      if (h.probe) process.stdout.write(`  probe ${h.probe.kind} ${h.probe.target}: ${h.probe.ok ? `ok in ${h.probe.ms} ms` : h.probe.error}\n`);
      process.stdout.write(report.history.length ? `History (${hours} h):\n` : `No stored history in the last ${hours} h\n`);
      for (const s of report.history) process.stdout.write(`  ${new Date(s.ts).toISOString()}  ${s.state}${s.reasons.length ? `  ${s.reasons.join('; ')}` : ''}\n`);
      return;
    }
    const all = await core.call('health.list', {});
    if (values.json) return printJson(all);
    if (!all.length) return void process.stdout.write('No managed containers\n');
    process.stdout.write(table(['ID', 'NAME', 'HEALTH', 'WHY'], all.map((h) => [h.id.slice(0, 12), h.name, h.state, h.reasons.join('; ')])));
  });
}
