// `mlenv ps`: the engine's containers, ours first (others are read-only in the app).
import type { ContainerPort } from '@shared/contract';
import { parse } from './args';
import { withCore } from './core';
import { DATA_DIR_OPTION, printJson, table } from './docker-common';

export const PS_USAGE = 'mlenv ps [--running] [--engine ID] [--json] [--data-dir DIR]';

export const formatPorts = (ports: ContainerPort[]) =>
  ports.map((p) => (p.hostPort ? `${p.hostPort}->${p.containerPort}/${p.protocol}` : `${p.containerPort}/${p.protocol}`)).join(', ');

export async function ps(argv: string[]): Promise<void> {
  const { values } = parse(argv, { running: { type: 'boolean' }, json: { type: 'boolean' }, engine: { type: 'string' }, ...DATA_DIR_OPTION });
  await withCore(values['data-dir'], { command: 'mlenv ps', readOnly: true }, async (core) => {
    const list = await core.call('containers.list', { all: !values.running, ...(values.engine ? { engine: values.engine } : {}) });
    if (values.json) return printJson(list);
    process.stdout.write(
      table(
        ['ID', 'NAME', 'IMAGE', 'STATE', 'STATUS', 'PROJECT', 'PORTS'],
        list.map((c) => [c.id.slice(0, 12), c.name, c.image, c.state, c.status, c.managed ? (c.project ?? '') : '(not ours)', formatPorts(c.ports)]),
      ),
    );
  });
}
