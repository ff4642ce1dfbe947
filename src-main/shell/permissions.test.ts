import { describe, expect, it } from 'vitest';
import { permissionAllowed } from './permissions';

// Every permission name Electron 41 passes to setPermissionRequestHandler / setPermissionCheckHandler.
const ELECTRON_PERMISSIONS = [
  'clipboard-read', 'clipboard-sanitized-write', 'display-capture', 'fullscreen', 'geolocation', 'idle-detection', 'media',
  'mediaKeySystem', 'midi', 'midiSysex', 'notifications', 'pointerLock', 'keyboardLock', 'openExternal', 'speaker-selection',
  'storage-access', 'top-level-storage-access', 'window-management', 'unknown', 'fileSystem', 'hid', 'serial', 'usb',
  'deprecated-sync-clipboard-read',
];

describe('permission handler', () => {
  it('grants the app its notifications, as an origin or as the requesting URL', () => {
    expect(permissionAllowed('notifications', 'app://mlenv')).toBe(true);
    expect(permissionAllowed('notifications', 'app://mlenv/index.html#/containers')).toBe(true);
  });

  it('grants the app clipboard writes (Copy) but never clipboard reads, and refuses every other permission', () => {
    const granted = ELECTRON_PERMISSIONS.filter((p) => permissionAllowed(p, 'app://mlenv'));
    expect(granted).toEqual(['clipboard-sanitized-write', 'notifications']);
    expect(permissionAllowed('clipboard-sanitized-write', 'https://example.com')).toBe(false);
  });

  it('refuses notifications to any other origin (a page that got into the window, file://, none)', () => {
    for (const origin of ['https://example.com', 'file://', 'file:///opt/mlenv/index.html', 'app://evil', 'null', '', undefined, null])
      expect(permissionAllowed('notifications', origin), String(origin)).toBe(false);
  });
});
