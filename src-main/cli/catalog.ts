// `mlenv catalog …`: the image catalog from a terminal — search, show, tags, refresh, custom images,
// export/import and the NGC API key. Requests go to the running app when it answers, else to a core
// of this process that owns the data folder for the command (it may seed, cache and write).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ARCHITECTURES, type CatalogHit, type CatalogStatus, type CatalogVersion } from '@shared/contract';
import { formatBytes } from '@shared/units';
import { parse, UsageError } from './args';
import { withCore, type CliCore } from './core';
import { DATA_DIR_OPTION, printJson, table } from './docker-common';

export const CATALOG_USAGE = [
  'mlenv catalog search [TEXT] [--category NAME] [--arch amd64|arm64|…] [--limit N] [--json] [--data-dir DIR]',
  'mlenv catalog show REPOSITORY [--offline] [--json] [--data-dir DIR]',
  'mlenv catalog tags REPOSITORY [--offline] [--json] [--data-dir DIR]',
  'mlenv catalog refresh [--json] [--data-dir DIR]',
  'mlenv catalog status [--json] [--data-dir DIR]',
  'mlenv catalog add REFERENCE [--name NAME] [--description TEXT] [--category NAME] [--jupyter] [--framework] [--data-dir DIR]',
  'mlenv catalog remove REPOSITORY [--data-dir DIR]',
  'mlenv catalog export [FILE] [--data-dir DIR]',
  'mlenv catalog import FILE|- [--replace] [--data-dir DIR]',
  'mlenv catalog api-key [--clear] [--data-dir DIR]   (reads the NGC API key from standard input)',
].join('\n  ');

const OPTIONS = {
  ...DATA_DIR_OPTION,
  json: { type: 'boolean' },
  category: { type: 'string' },
  arch: { type: 'string' },
  limit: { type: 'string' },
  offline: { type: 'boolean' },
  name: { type: 'string' },
  description: { type: 'string' },
  jupyter: { type: 'boolean' },
  framework: { type: 'boolean' },
  replace: { type: 'boolean' },
  clear: { type: 'boolean' },
} as const;

const usage = () => new UsageError(`usage:\n  ${CATALOG_USAGE}`);
const day = (ms: number | null) => (ms === null ? '—' : new Date(ms).toISOString().slice(0, 10));
const estimated = (flag: boolean) => (flag ? ' (est.)' : '');

/** The one line that says where the catalog stands ("offline — catalog from <date>: <why>"). */
export function statusLine(s: CatalogStatus): string {
  const where = s.offline ? `offline — catalog from ${day(s.dataAsOf)}: ${s.offlineReason}` : s.dataSource === 'seed' ? `shipped catalog of ${day(s.dataAsOf)} (never refreshed from NGC)` : `refreshed from NGC ${new Date(s.dataAsOf).toISOString()}`;
  const running = s.refresh ? `; refreshing: ${s.refresh.phase} (${s.refresh.done}/${s.refresh.total || '?'})` : '';
  const wait = s.retryNotBefore ? `; NGC asked to wait until ${new Date(s.retryNotBefore).toISOString()}` : '';
  return `${s.images} images, ${where}${running}${wait}\n`;
}

const hitRow = (h: CatalogHit) => [h.repository, h.displayName, h.latestTag ?? '—', `${formatBytes(h.compressedSize)}${estimated(h.sizeEstimated)}`, h.architectures.join(',') || '—', h.categories.join(', ')];
const versionRow = (v: CatalogVersion) => [v.tag, `${formatBytes(v.compressedSize)}${estimated(v.sizeEstimated)}`, `${day(v.updatedAt)}${estimated(v.updatedAtEstimated)}`, v.architectures.join(',') || '—', v.signed === null ? '—' : v.signed ? 'yes' : 'no'];

function one(positionals: string[], what: string): string {
  const [, arg, ...extra] = positionals;
  if (!arg || extra.length) throw new UsageError(`name one ${what}: mlenv catalog ${positionals[0]} <${what}>`);
  return arg;
}

/** Waits for the refresh under way to end, printing its progress to stderr; answers the final status. */
async function waitForRefresh(core: CliCore, first: CatalogStatus): Promise<CatalogStatus> {
  let s = first;
  let last = '';
  while (s.refresh) {
    const line = `${s.refresh.phase} (${s.refresh.done}/${s.refresh.total || '?'})`;
    if (line !== last && process.stderr.isTTY) process.stderr.write(`\r\x1b[K${line}`);
    last = line;
    await Promise.race([new Promise((r) => setTimeout(r, 200)), core.lost]);
    s = await core.call('catalog.status', {});
  }
  if (last && process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  return s;
}

const readStdin = async (): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

export async function catalog(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, OPTIONS);
  const sub = positionals[0];
  const run = async (fn: (core: CliCore) => Promise<unknown>): Promise<void> => {
    await withCore(values['data-dir'], { command: `mlenv catalog ${sub}`, readOnly: false }, fn);
  };

  switch (sub) {
    case 'search': {
      const text = positionals.slice(1).join(' ');
      const limit = values.limit === undefined ? 50 : Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UsageError(`--limit ${values.limit}: use a whole number from 1 to 500`);
      const arch = values.arch;
      if (arch !== undefined && !(ARCHITECTURES as readonly string[]).includes(arch)) throw new UsageError(`--arch ${arch}: use one of ${ARCHITECTURES.join(', ')}`);
      return run(async (core) => {
        const r = await core.call('catalog.search', { text, limit, ...(values.category ? { category: values.category } : {}), ...(arch ? { architecture: arch as (typeof ARCHITECTURES)[number] } : {}) });
        if (values.json) return printJson(r);
        const s = await core.call('catalog.status', {});
        process.stdout.write(table(['REPOSITORY', 'NAME', 'LATEST', 'SIZE', 'ARCH', 'CATEGORIES'], r.hits.map(hitRow)));
        process.stdout.write(`${r.hits.length} of ${r.total} shown; ${statusLine(s)}`);
      });
    }
    case 'show': {
      const repository = one(positionals, 'repository');
      return run(async (core) => {
        const image = await core.call('catalog.get', { repository, live: !values.offline });
        if (values.json) return printJson(image);
        const facts = [
          ['Repository', image.repository],
          ['Pull', `${image.pullName}:${image.latestTag ?? '<tag>'}`],
          ['Publisher', image.publisher ?? '—'],
          ['Source', image.source],
          ['Categories', image.categories.join(', ') || '—'],
          ['Labels', image.labels.join(', ') || '—'],
          ['Latest', `${image.latestTag ?? '—'}, ${formatBytes(image.compressedSize)}${estimated(image.sizeEstimated)}, ${day(image.updatedAt)}${estimated(image.updatedAtEstimated)}`],
          ['Architectures', image.architectures.join(', ') || '—'],
          ['Traits', [image.framework && 'NVIDIA framework image', image.jupyterLab && 'JupyterLab', image.jetson && 'Jetson', image.gated && 'sign-in required'].filter(Boolean).join(', ') || '—'],
          ['Web', image.webUrl ?? '—'],
        ];
        process.stdout.write(`${image.displayName}\n${image.summary}\n\n${facts.map(([k, v]) => `${k!.padEnd(14)}${v}`).join('\n')}\n`);
        if (image.description) process.stdout.write(`\n${image.description.trim()}\n`);
      });
    }
    case 'tags': {
      const repository = one(positionals, 'repository');
      return run(async (core) => {
        const tags = await core.call('catalog.tags', { repository, live: !values.offline });
        if (values.json) return printJson(tags);
        process.stdout.write(table(['TAG', 'SIZE', 'DATE', 'ARCH', 'SIGNED'], tags.versions.map(versionRow)));
        if (tags.warning) process.stderr.write(`${tags.warning}\n`);
      });
    }
    case 'refresh':
    case 'status': {
      if (positionals.length > 1) throw usage();
      return run(async (core) => {
        let s = await core.call(sub === 'refresh' ? 'catalog.refresh' : 'catalog.status', {});
        if (sub === 'refresh') s = await waitForRefresh(core, s);
        if (values.json) return printJson(s);
        process.stdout.write(statusLine(s));
        if (sub === 'refresh' && s.offline) process.exitCode = 1;
      });
    }
    case 'add': {
      const reference = one(positionals, 'reference');
      return run(async (core) => {
        const image = await core.call('catalog.add', {
          reference,
          description: values.description ?? '',
          jupyterLab: values.jupyter ?? false,
          framework: values.framework ?? false,
          ...(values.name ? { displayName: values.name } : {}),
          ...(values.category ? { category: values.category } : {}),
        });
        process.stdout.write(`added ${image.repository} (pulls as ${image.pullName})\n`);
      });
    }
    case 'remove': {
      const repository = one(positionals, 'repository');
      return run(async (core) => {
        const r = await core.call('catalog.remove', { repository });
        if (!r.removed) throw new Error(`${repository} is not in the catalog`);
        process.stdout.write(`removed ${repository}\n`);
      });
    }
    case 'export': {
      const [, file, ...extra] = positionals;
      if (extra.length) throw usage();
      return run(async (core) => {
        const text = JSON.stringify(await core.call('catalog.export', {}), null, 2) + '\n';
        if (!file || file === '-') return void process.stdout.write(text);
        writeFileSync(path.resolve(file), text, { mode: 0o644 });
        process.stderr.write(`catalog written to ${path.resolve(file)}\n`);
      });
    }
    case 'import': {
      const file = one(positionals, 'file');
      let json: string;
      try {
        json = file === '-' ? await readStdin() : readFileSync(path.resolve(file), 'utf8');
      } catch (e) {
        throw new Error(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      return run(async (core) => {
        const r = await core.call('catalog.import', { json, mode: values.replace ? 'replace' : 'merge' });
        process.stdout.write(`imported ${r.imported} images${r.removed ? `, removed ${r.removed}` : ''}\n`);
      });
    }
    case 'api-key': {
      if (positionals.length > 1) throw usage();
      if (values.clear) return run(async (core) => void process.stdout.write((await core.call('catalog.clearApiKey', {})).removed ? 'NGC API key removed\n' : 'no NGC API key was stored\n'));
      if (process.stdin.isTTY) process.stderr.write('Paste your NGC API key (nvapi-…), then press Enter and Ctrl-D:\n');
      const key = (await readStdin()).trim();
      if (!key) throw new UsageError('no key on standard input: echo "$NGC_API_KEY" | mlenv catalog api-key');
      return run(async (core) => {
        await core.call('catalog.setApiKey', { key });
        process.stdout.write('NGC API key stored (it is never shown again)\n');
      });
    }
    default:
      throw usage();
  }
}
