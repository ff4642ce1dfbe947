import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** The renderer's CSP, the same one its index.html declares for Electron. */
export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const SECURITY_HEADERS = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/** Serves the built renderer: a file under root, or index.html for app routes. Never leaves root. */
export async function serveStatic(root: string, urlPath: string, res: ServerResponse): Promise<void> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    decoded = '\0'; // "%zz" and the like: no file has that name
  }
  if (decoded.includes('\0')) {
    res.writeHead(404, SECURITY_HEADERS).end('not found');
    return;
  }
  const rel = path.normalize(decoded).replace(/^([/\\])+/, '');
  const base = path.resolve(root);
  let file = path.join(base, rel);
  if (file !== base && !file.startsWith(base + path.sep)) {
    res.writeHead(404).end();
    return;
  }
  let s = await stat(file).catch(() => undefined);
  if (!s?.isFile()) {
    if (path.extname(rel)) {
      res.writeHead(404, SECURITY_HEADERS).end('not found');
      return;
    }
    file = path.join(base, 'index.html');
    s = await stat(file).catch(() => undefined);
    if (!s) {
      res.writeHead(503, { 'Content-Type': 'text/plain' }).end('the renderer is not built: run npm run build');
      return;
    }
  }
  const immutable = file.includes(`${path.sep}assets${path.sep}`);
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'Content-Length': s.size,
    'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  // pipeline: a read error (the file went away after stat) ends the response instead of going uncaught.
  pipeline(createReadStream(file), res, () => undefined);
}
