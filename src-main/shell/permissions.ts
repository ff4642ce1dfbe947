// Which web permissions the renderer gets. Electron grants every permission request unless the
// session has a handler; the app needs none but notifications and clipboard writes, so everything
// else is refused.
// Pure (no 'electron' import): session.ts wires it into setPermissionRequestHandler and
// setPermissionCheckHandler.
import { isAppUrl } from './app-origin';

/**
 * The permissions the app's own pages may use, by Electron's names (the `permission` argument of
 * session.setPermissionRequestHandler / setPermissionCheckHandler). Notifications: alerts may be
 * shown by the page. Clipboard writes (navigator.clipboard.writeText): the catalog's Copy button for
 * the `docker run` line. Camera, microphone, geolocation, clipboard reads, MIDI, HID, serial, USB,
 * screen capture, fullscreen, pointer lock, openExternal and the rest are not used.
 */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications', 'clipboard-sanitized-write']);

/**
 * Whether to grant `permission` to a frame of `requestingOrigin` (an origin such as 'app://mlenv',
 * or the requesting frame's URL): only the permissions above, and only to the app's own origin.
 */
export function permissionAllowed(permission: string, requestingOrigin: string | null | undefined): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isAppUrl(requestingOrigin);
}
