// The desktop renderer's origin, app://mlenv, and the checks built on it: which URLs are the app's
// own pages, which IPC senders may call the API, where a navigation may go. Pure functions, no
// 'electron' import, so vitest can hold them (app-protocol.ts, ipc.ts and window.ts apply them).

/** The custom scheme the renderer is served from (registered standard + secure before `ready`). */
export const APP_SCHEME = 'app';
/** The one host of that scheme: every page and asset of the app is under app://mlenv/. */
export const APP_HOST = 'mlenv';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** The dashboard page, with an optional route hash such as '#/containers/<id>'. */
export function appPageUrl(hash?: string): string {
  return `${APP_ORIGIN}/index.html${hash ?? ''}`;
}

/**
 * Whether `url` (a full URL or a bare origin such as Chromium's `requestingOrigin`) belongs to the
 * app: scheme `app:`, host exactly `mlenv`, no port, no user info. Anything unparsable is not ours.
 */
export function isAppUrl(url: string | null | undefined): boolean {
  if (!url || !URL.canParse(url)) return false;
  const u = new URL(url);
  return u.protocol === `${APP_SCHEME}:` && u.hostname === APP_HOST && u.port === '' && u.username === '' && u.password === '';
}

/**
 * The path an app:// request asks for ('/assets/index.js'), still percent-encoded; undefined for a
 * URL of another scheme or host, which the protocol handler answers with 404.
 */
export function appRequestPath(url: string): string | undefined {
  return isAppUrl(url) ? new URL(url).pathname || '/' : undefined;
}

/** What an IPC message tells about its sender (Electron's IpcMainInvokeEvent, reduced). */
export interface IpcSender {
  /** webContents id of the sender. */
  contentsId: number;
  /** URL of the sending frame; undefined when the frame is gone (navigated away or destroyed). */
  frameUrl: string | undefined;
  /** Whether the sending frame is its page's top frame (senderFrame.parent === null). */
  isMainFrame: boolean;
}

/**
 * Only our window's top frame, showing an app:// page, may call the API. `windowContentsId` is the
 * dashboard window's webContents id, undefined while there is no window.
 */
export function isTrustedSender(sender: IpcSender, windowContentsId: number | undefined): boolean {
  return windowContentsId !== undefined && sender.contentsId === windowContentsId && sender.isMainFrame && isAppUrl(sender.frameUrl);
}

/**
 * Where a navigation of the app's window may go: 'allow' for the app's own pages (a reload, a route),
 * 'external' for an http(s) link (opened in the OS browser instead), 'deny' for anything else
 * (file:, data:, javascript:, another custom scheme).
 */
export function navigationAction(url: string): 'allow' | 'external' | 'deny' {
  if (isAppUrl(url)) return 'allow';
  return isExternalLink(url) ? 'external' : 'deny';
}

/** An http(s) URL the OS browser may open. */
export function isExternalLink(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const { protocol } = new URL(url);
  return protocol === 'http:' || protocol === 'https:';
}
