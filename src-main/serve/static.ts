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

/**
 * The file under `root` a URL path names: percent-decoded, normalised, leading slashes dropped, and
 * never outside root (`..` cannot climb above it). Undefined for a path no file can have (a NUL,
 * a malformed escape such as "%zz") or one that would leave root. Touches no disk.
 */
export function fileUnder(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined; // "%zz" and the like: no file has that name
  }
  if (decoded.includes('\0')) return undefined;
  const rel = path.normalize(decoded).replace(/^([/\\])+/, '');
  const base = path.resolve(root);
  const file = path.join(base, rel);
  return file === base || file.startsWith(base + path.sep) ? file : undefined;
}

/** What a GET of a renderer path answers: a file with its headers, or a status and a sentence. */
export type StaticTarget = { file: string; size: number; headers: Record<string, string | number> } | { status: 404 | 503; message: string };

/**
 * Resolves a URL path against the built renderer in `root` (dist/renderer): the file itself, or
 * index.html for an app route (a path without an extension); 404 for a missing file or a path
 * outside root, 503 when the renderer is not built. Used by serve mode and by the desktop app's
 * app:// protocol alike.
 */
export async function resolveStatic(root: string, urlPath: string): Promise<StaticTarget> {
  let file = fileUnder(root, urlPath);
  if (!file) return { status: 404, message: 'not found' };
  let s = await stat(file).catch(() => undefined);
  if (!s?.isFile()) {
    // A missing file with an extension is a 404; any other path is a route of the app.
    if (path.extname(path.relative(path.resolve(root), file))) return { status: 404, message: 'not found' };
    file = path.join(path.resolve(root), 'index.html');
    s = await stat(file).catch(() => undefined);
    if (!s?.isFile()) return { status: 503, message: 'the renderer is not built: run npm run build' };
  }
  const immutable = file.includes(`${path.sep}assets${path.sep}`);
  return {
    file,
    size: s.size,
    headers: {
      ...SECURITY_HEADERS,
      'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Content-Length': s.size,
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    },
  };
}

/** Serves the built renderer: a file under root, or index.html for app routes. Never leaves root. */
export async function serveStatic(root: string, urlPath: string, res: ServerResponse): Promise<void> {
  const target = await resolveStatic(root, urlPath);
  if ('status' in target) {
    const headers = target.status === 503 ? { 'Content-Type': 'text/plain' } : SECURITY_HEADERS;
    res.writeHead(target.status, headers).end(target.message);
    return;
  }
  res.writeHead(200, target.headers);
  // pipeline: a read error (the file went away after stat) ends the response instead of going uncaught.
  pipeline(createReadStream(target.file), res, () => undefined);
}
