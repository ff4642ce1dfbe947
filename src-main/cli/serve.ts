import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../core/app';
import { OwnerRefused, refusal, settledOwner } from '../core/owner';
import { fireAndForget } from '../core/fire-and-forget';
import { log } from '../core/log';
import { createPrometheusExport } from '../core/metrics/prometheus';
import { defaultDataDir } from '../core/paths';
import { isLoopback, newToken } from '../serve/auth';
import { parseAllowHosts } from '../serve/guard';
import { startServer, type ServeLimits } from '../serve/server';
import { VERSION } from '../version';
import { parse, parsePort, UsageError } from './args';

export const SERVE_USAGE =
  'mlenv serve [--host 127.0.0.1] [--port 8765] [--data-dir DIR] [--token TOKEN] [--allow-host NAME[:PORT]]…';

/** Environment variables that override serve mode's limits (tests shorten them), in ms or a count. */
const LIMIT_ENV: Record<keyof ServeLimits, string> = {
  headersTimeoutMs: 'MLENV_SERVE_HEADERS_TIMEOUT_MS',
  requestTimeoutMs: 'MLENV_SERVE_REQUEST_TIMEOUT_MS',
  keepAliveTimeoutMs: 'MLENV_SERVE_KEEP_ALIVE_TIMEOUT_MS',
  maxConnections: 'MLENV_SERVE_MAX_CONNECTIONS',
};

/** The limits set in `env`; throws a UsageError for a value that is not a positive whole number. */
export function limitsFromEnv(env: NodeJS.ProcessEnv): Partial<ServeLimits> {
  const limits: Partial<ServeLimits> = {};
  for (const [key, name] of Object.entries(LIMIT_ENV) as [keyof ServeLimits, string][]) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    if (!/^[1-9]\d{0,8}$/.test(text)) throw new UsageError(`${name}=${text}: use a positive whole number`);
    limits[key] = Number(text);
  }
  return limits;
}

export async function serve(argv: string[]): Promise<void> {
  const { values } = parse(argv, {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    token: { type: 'string' },
    'allow-host': { type: 'string', multiple: true },
  });
  const host = values.host!;
  if (!isLoopback(host) && !values.token) {
    throw new UsageError(`--host ${host} exposes the dashboard beyond this machine: give an explicit --token too`);
  }
  if (values.token !== undefined && values.token.length < 16) throw new UsageError('--token must be at least 16 characters');
  const token = values.token ?? newToken();
  const allowHosts = values['allow-host'] ?? [];
  try {
    parseAllowHosts(allowHosts);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const limits = limitsFromEnv(process.env);
  // A bad --port is refused before the data folder is touched.
  const port = parsePort(values.port, 8765);
  const dataDir = values['data-dir'] ? path.resolve(values['data-dir']) : defaultDataDir();

  let app;
  try {
    // Besides /v1 on its own port, serve offers the desktop's model proxy (127.0.0.1, its own token) when Settings enables it: clients set up for the desktop app keep working.
    app = createApp({ dataDir, version: VERSION, owner: { transport: 'serve' }, modelProxy: true });
  } catch (e) {
    if (!(e instanceof OwnerRefused)) throw e;
    // Racing another serve: it holds the folder but may not listen yet; name it once it says where.
    const holder = await settledOwner(dataDir, 10_000);
    throw new OwnerRefused(refusal(dataDir, holder), holder);
  }
  const staticDir = fileURLToPath(new URL('../renderer/', import.meta.url));
  let server;
  try {
    await app.start(); // the control socket answers from here on
    const prometheus = createPrometheusExport(() => app.sampler.latest());
    const routes = {
      '/metrics': async (_req: unknown, res: ServerResponse) => {
        res.writeHead(200, { 'Content-Type': prometheus.contentType }).end(await prometheus.render());
      },
    };
    server = await startServer({ app, host, port, token, staticDir, routes, allowHosts, limits });
  } catch (e) {
    await app.dispose();
    throw e;
  }
  let closing = false;
  const started = server;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await started.close();
    await app.dispose();
    process.exit(0);
  };
  // Before the address is printed: whoever reads it may send SIGTERM at once, and gets a clean shutdown.
  process.on('SIGINT', () => fireAndForget(shutdown(), 'serve shutdown'));
  process.on('SIGTERM', () => fireAndForget(shutdown(), 'serve shutdown'));

  app.owner?.setUrl(new URL(server.url).origin); // named to a second owner and in the CLI's errors; never the token
  process.stdout.write(`MLEnv serving at ${server.url}\n`);
  log.info('serve mode started', { dataDir, host, port: server.port });
}
