import { AppError, type Envelope } from '@shared/errors';
import { WS_PATH, type Bridge, type ClientFrame, type ServerFrame } from '@shared/wire';

export type LinkState = 'connecting' | 'open' | 'closed' | 'unauthorized';

/**
 * Whether the server refuses this browser: a WebSocket that never opened does not say why, so ask
 * the HTTP API, which answers 401 without the session cookie (the cookie the server set when the
 * printed ?token= address was opened; the page never sees the token). A network error is not a refusal.
 */
async function refused(): Promise<boolean> {
  try {
    const res = await fetch('/api/call/app.info', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    return res.status === 401;
  } catch {
    return false;
  }
}

/**
 * Serve mode's bridge: one WebSocket, authenticated by the session cookie, calls matched to replies
 * by id, reconnected with backoff. Calls made while disconnected wait for the connection (and fail
 * after a timeout). A socket refused for want of the cookie ends in 'unauthorized', without retries.
 * Each reconnect is reported (`onReconnect`): the new socket is a new connection to subscribe again.
 */
export function createWsBridge(onState: (s: LinkState) => void): Bridge {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WS_PATH}`;
  const pending = new Map<number, { resolve(e: Envelope<unknown>): void; timer: ReturnType<typeof setTimeout> }>();
  const listeners = new Set<(name: string, payload: unknown) => void>();
  const reconnected = new Set<() => void>();
  let everOpened = false;
  const queue: ClientFrame[] = [];
  let nextId = 1;
  let ws: WebSocket | undefined;
  let attempts = 0;
  /** Refused for want of the cookie: calls then wait for a reload with the token, as the banner says. */
  let unauthorized = false;

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
      // A new socket is a new connection on the server, without the old one's subscriptions.
      if (everOpened) reconnected.forEach((h) => h());
      everOpened = true;
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
      const retry = () => {
        onState('closed');
        attempts++;
        setTimeout(open, Math.min(5000, 250 * 2 ** attempts));
      };
      if (opened) return retry();
      void refused().then((no) => {
        if (!no) return retry();
        unauthorized = true;
        for (const p of pending.values()) clearTimeout(p.timer);
        pending.clear();
        queue.length = 0;
        onState('unauthorized');
      });
    };
  }
  open();

  return {
    call(name, input) {
      if (unauthorized) return new Promise(() => undefined);
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
    onReconnect(handler) {
      reconnected.add(handler);
      return () => reconnected.delete(handler);
    },
  };
}
