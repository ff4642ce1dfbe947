import type { Bridge } from '@shared/wire';
import { useLink } from '../store/link';
import { createClient, type RendererClient } from './client';
import { createWsBridge } from './ws';

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
  // Serve mode: the server traded the printed address's ?token= for an HttpOnly cookie before this page loaded.
  return createWsBridge((s) => useLink.getState().set(s));
}

/** The renderer's one client. Pages call `api.call(...)` and `api.on(...)`; the transport is invisible. */
export const api: RendererClient = createClient(pickBridge());
