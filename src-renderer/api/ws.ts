import { AppError, type Envelope } from '@shared/errors';
import { WS_PATH, type Bridge, type ClientFrame, type ServerFrame } from '@shared/wire';

export type LinkState = 'connecting' | 'open' | 'closed' | 'unauthorized';

/**
 * Serve mode's bridge: one WebSocket, calls matched to replies by id, reconnected with backoff.
 * Calls made while disconnected wait for the connection (and fail after a timeout).
 */
export function createWsBridge(token: string, onState: (s: LinkState) => void): Bridge {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WS_PATH}?token=${encodeURIComponent(token)}`;
  const pending = new Map<number, { resolve(e: Envelope<unknown>): void; timer: ReturnType<typeof setTimeout> }>();
  const listeners = new Set<(name: string, payload: unknown) => void>();
  const queue: ClientFrame[] = [];
  let nextId = 1;
  let ws: WebSocket | undefined;
  let attempts = 0;

  function open() {
    onState('connecting');
    const sock = new WebSocket(url);
    ws = sock;
    let opened = false;
    sock.onopen = () => {
      opened = true;
      attempts = 0;
      onState('open');
      for (const f of queue.splice(0)) sock.send(JSON.stringify(f));
    };
    sock.onmessage = (m) => {
      const frame = JSON.parse(String(m.data)) as ServerFrame;
      if (frame.type === 'event') listeners.forEach((l) => l(frame.name, frame.payload));
      else if (frame.id !== null) {
        const p = pending.get(frame.id);
        if (p) {
          pending.delete(frame.id);
          clearTimeout(p.timer);
          p.resolve(frame.result);
        }
      }
    };
    sock.onclose = () => {
      // A refused upgrade never opens; after a few of those the token is the likely cause.
      if (!opened && attempts >= 3) return onState('unauthorized');
      onState('closed');
      attempts++;
      setTimeout(open, Math.min(5000, 250 * 2 ** attempts));
    };
  }
  open();

  return {
    call(name, input) {
      const id = nextId++;
      const frame: ClientFrame = { type: 'call', id, name, input };
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          resolve({ ok: false, error: new AppError('ENGINE_UNAVAILABLE', `no answer from MLEnv for ${name} within 30 s`).toBody() });
        }, 30_000);
        pending.set(id, { resolve, timer });
        if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
        else queue.push(frame);
      });
    },
    subscribe(handler) {
      listeners.add(handler);
      return () => listeners.delete(handler);
    },
  };
}

/** The serve-mode token: from ?token= on first load (then removed from the address bar), else this tab's memory. */
export function takeToken(): string | undefined {
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    sessionStorage.setItem('mlenv.token', fromUrl);
    params.delete('token');
    const rest = params.toString();
    history.replaceState(null, '', `${location.pathname}${rest ? `?${rest}` : ''}${location.hash}`);
    return fromUrl;
  }
  return sessionStorage.getItem('mlenv.token') ?? undefined;
}
