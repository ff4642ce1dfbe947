// The renderer is served from app://mlenv/ instead of file://: a standard, secure origin of its
// own, so 'self' in the CSP means the app and nothing else on disk, and file:// keeps no privileges.
import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import type { Disposable } from '../core/disposable';
import { SECURITY_HEADERS } from '../serve/static';
import { resolveAppRequest } from './app-files';
import { APP_SCHEME } from './app-origin';

/**
 * Registers app:// as a privileged scheme. Must run before the app's `ready` event (Electron's rule).
 * standard: relative URLs, a real origin and web storage; secure: treated like https. supportFetchAPI
 * lets the page load its own module scripts and assets; corsEnabled stays off, so no other origin
 * can read app:// resources.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

const plain = (status: number, message: string, extra: Record<string, string> = {}) =>
  new Response(message, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...extra } });

/** Answers app:// requests with the files of the built renderer in `rendererDir` (GET and HEAD only) until disposed. */
export function serveAppProtocol(rendererDir: string): Disposable {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'use GET', { Allow: 'GET, HEAD' });
    const target = await resolveAppRequest(rendererDir, request.url);
    if ('status' in target) return plain(target.status, target.message);
    // Content-Length comes from the bytes actually read (the file may change between stat and read).
    const headers = Object.fromEntries(Object.entries(target.headers).filter(([k]) => k !== 'Content-Length').map(([k, v]) => [k, String(v)]));
    const body = await readFile(target.file).catch(() => undefined);
    if (!body) return plain(404, 'not found');
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  });
  return { dispose: () => protocol.unhandle(APP_SCHEME) };
}
