// Shared by the Docker commands: the core built against the data folder (no sampler running),
// requests through the real router (same validation and journaling as the app), plain tables.
import path from 'node:path';
import type { RequestInput, RequestName, RequestOutput } from '@shared/contract';
import { createApp, type App } from '../core/app';
import { defaultDataDir } from '../core/paths';
import { VERSION } from '../version';

export const DATA_DIR_OPTION = { 'data-dir': { type: 'string' } } as const;

export async function withApp<T>(dataDir: string | undefined, fn: (app: App) => Promise<T>): Promise<T> {
  const app = createApp({ dataDir: dataDir ? path.resolve(dataDir) : defaultDataDir(), version: VERSION, persistMetrics: false });
  try {
    await app.engine.recheck();
    app.engine.stop(); // one look is enough for a one-shot command
    return await fn(app);
  } finally {
    await app.dispose();
  }
}

export async function request<N extends RequestName>(app: App, name: N, input: RequestInput<N>): Promise<RequestOutput<N>> {
  const r = await app.router.dispatch(name, input);
  if (!r.ok) throw new Error(r.error.message);
  return r.value as RequestOutput<N>;
}

/** Left-aligned columns, two spaces apart. */
export function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}

export const printJson = (v: unknown) => process.stdout.write(JSON.stringify(v, null, 2) + '\n');
