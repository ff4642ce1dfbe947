import { describe, expect, it } from 'vitest';
import { WEB_PREFERENCES } from './web-preferences';

describe('dashboard window', () => {
  it('isolates the renderer: context isolation and sandbox on, no Node, no webviews', () => {
    expect(WEB_PREFERENCES).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, webSecurity: true, webviewTag: false });
  });
});
