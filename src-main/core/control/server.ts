// The owner's control socket: the CLI's way into the running app. The same envelopes as serve mode's
// WebSocket (src-shared/wire.ts), one JSON frame per line, through the same router with a connection
// context (subscriptions, the log follows it opens end with it). No token: only this user can connect
// (the socket is 0600 in a 0700 folder; on Windows a named pipe).
import { chmodSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { AppError, type Envelope } from '@shared/errors';
import { parseFrame, type ServerFrame } from '@shared/wire';
import { connectionContext, type CallContext, type EventSource } from '../../connection';
import { fireAndForget, type Journal } from '../fire-and-forget';
import { log } from '../log';
import { privateSocketFolder } from './address';
import { frameLine, lineReader, MAX_CALL_BYTES } from './frames';

/** A client this far behind on reading stops getting events until it catches up (results always go). */
const MAX_BUFFERED = 4 * 1024 * 1024;

export interface ControlServer {
  address: string;
  /** Stops listening and ends every connection (their follows and subscriptions end with them). */
  close(): Promise<void>;
}

/**
 * Listens on `address` (see controlAddress). Only the owner of the data folder calls this (owner.ts):
 * whatever file is at the address is a socket left by an owner that died, and is replaced. A unix
 * socket is created 0600 (under a umask, so it is never reachable by others, not even for a moment).
 */
/** What the control socket hands each call to: the app's router (src-main/router.ts), which never throws. */
export interface Dispatcher {
  dispatch(name: unknown, input: unknown, ctx: CallContext): Promise<Envelope<unknown>>;
}

export async function listenControl(opts: { address: string; router: Dispatcher; bus: EventSource; journal?: Journal }): Promise<ControlServer> {
  const { address } = opts;
  const unix = process.platform !== 'win32';
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => connect(socket));
  if (unix) {
    privateSocketFolder(address);
    rmSync(address, { force: true });
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(new Error(`cannot listen on the control socket ${address}: ${e.code ?? e.message}`)));
    // The socket file is made during listen(), synchronously: the umask covers exactly it.
    const umask = unix ? process.umask(0o177) : undefined;
    try {
      server.listen(address, () => resolve());
    } finally {
      if (umask !== undefined) process.umask(umask);
    }
  });
  if (unix) {
    chmodSync(address, 0o600);
    if ((statSync(address).mode & 0o077) !== 0) throw new Error(`the control socket ${address} is reachable by other users`);
  }
  server.on('error', (e) => log.warn('control socket error', { message: e.message }));

  function connect(socket: Socket) {
    sockets.add(socket);
    const send = (frame: ServerFrame) => {
      if (!socket.destroyed && socket.writable) socket.write(frameLine(frame));
    };
    // Only this user's processes can open the socket (0600): in practice the `mlenv` CLI.
    const ctx = connectionContext(
      opts.bus,
      (name, payload) => {
        if (socket.writableLength < MAX_BUFFERED) send({ type: 'event', name, payload });
      },
      'cli',
    );
    const refuse = (e: AppError) => send({ type: 'result', id: null, result: { ok: false, error: e.toBody() } });
    const read = lineReader(
      MAX_CALL_BYTES,
      (line) => {
        const frame = parseFrame(line);
        if (frame instanceof AppError) return refuse(frame);
        fireAndForget(
          opts.router.dispatch(frame.name, frame.input, ctx).then((result) => send({ type: 'result', id: frame.id, result })),
          'control socket: answering a call',
          opts.journal,
        );
      },
      () => {
        refuse(new AppError('INVALID_INPUT', `a frame is longer than ${MAX_CALL_BYTES} bytes; the connection is closed`));
        socket.end();
      },
    );
    socket.on('data', read);
    socket.on('close', () => {
      sockets.delete(socket);
      ctx.close();
    });
    socket.on('error', () => socket.destroy());
  }

  return {
    address,
    async close() {
      const closed = new Promise<void>((r) => server.close(() => r()));
      for (const s of sockets) s.destroy();
      await closed;
      if (unix) rmSync(address, { force: true });
    },
  };
}
