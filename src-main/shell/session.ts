// The window's session: no web permission but the ones the app uses (permissions.ts), no devices.
import type { Session } from 'electron';
import { permissionAllowed } from './permissions';

/**
 * Installs the permission handlers on `ses` (the default session, before any window opens).
 * Without them Electron grants every request (camera, microphone, geolocation…); with them only
 * the app's own origin gets notifications. HID, serial and USB device access is refused outright.
 */
export function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => callback(permissionAllowed(permission, details.requestingUrl)));
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) => permissionAllowed(permission, requestingOrigin));
  ses.setDevicePermissionHandler(() => false);
}
