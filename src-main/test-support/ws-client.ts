// A test's WebSocket client for serve mode: collects every frame in arrival order, matches calls
// to their result frames by id.
import WebSocket from 'ws';
import type { Envelope } from '@shared/errors';
import type { ServerFrame } from '@shared/wire';

export interface TestSocket {
  ws: WebSocket;
  /** Every frame received so far, in the order the server sent them. */
  frames: ServerFrame[];
  /** The first frame (already received or yet to come) that matches. */
  next(pred: (f: ServerFrame) => boolean): Promise<ServerFrame>;
  sendRaw(data: string): void;
  /** One call; resolves with its result envelope. */
  call(name: string, input: unknown): Promise<Envelope<unknown>>;
  /** Closes the socket and resolves once it is closed. */
  close(): Promise<void>;
}

/** Opens `ws://127.0.0.1:PORT/api/ws` with these headers; rejects with "HTTP <status>" when refused. */
export async function connectWs(port: number, headers: Record<string, string>, query = ''): Promise<TestSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/ws${query}`, { headers });
  const frames: ServerFrame[] = [];
  const waiters: ((f: ServerFrame) => void)[] = [];
  ws.on('message', (d) => {
    const f = JSON.parse(d.toString()) as ServerFrame;
    frames.push(f);
    waiters.forEach((w) => w(f));
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  const next = (pred: (f: ServerFrame) => boolean) =>
    new Promise<ServerFrame>((resolve) => {
      const found = frames.find(pred);
      if (found) return resolve(found);
      waiters.push((f) => pred(f) && resolve(f));
    });
  let id = 0;
  return {
    ws,
    frames,
    next,
    sendRaw: (data) => ws.send(data),
    async call(name, input) {
      const myId = ++id;
      ws.send(JSON.stringify({ type: 'call', id: myId, name, input }));
      const f = await next((x) => x.type === 'result' && x.id === myId);
      return (f as Extract<ServerFrame, { type: 'result' }>).result;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === ws.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
      }),
  };
}
