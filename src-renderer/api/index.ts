import type { Bridge, MlenvClient } from '@shared/wire';
import { useLink } from '../store/link';
import { createClient } from './client';
import { createWsBridge, takeToken } from './ws';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser (serve mode). */
    mlenv?: Bridge;
  }
}

function pickBridge(): Bridge {
  if (window.mlenv) {
    useLink.getState().set('open');
    return window.mlenv;
  }
  const token = takeToken();
  if (!token) {
    useLink.getState().set('unauthorized');
    return { call: () => new Promise(() => undefined), subscribe: () => () => undefined };
  }
  return createWsBridge(token, (s) => useLink.getState().set(s));
}

/** The renderer's one client. Pages call `api.call(...)` and `api.on(...)`; the transport is invisible. */
export const api: MlenvClient = createClient(pickBridge());
