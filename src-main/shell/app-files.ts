// What the app:// protocol answers, kept apart from app-protocol.ts (no 'electron' import) so a test
// can hold it: the same path-safe resolver serve mode uses, over the built renderer.
import { resolveStatic, type StaticTarget } from '../serve/static';
import { appRequestPath } from './app-origin';

/**
 * Resolves an app:// request URL against the built renderer (dist/renderer): a file under it,
 * index.html for a route, 404 for another host, a missing file or a path that would leave it,
 * 503 when the renderer is not built.
 */
export async function resolveAppRequest(rendererDir: string, url: string): Promise<StaticTarget> {
  const urlPath = appRequestPath(url);
  return urlPath === undefined ? { status: 404, message: 'not found' } : resolveStatic(rendererDir, urlPath);
}
