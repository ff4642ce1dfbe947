// The CLI's end of the control socket: calls to the running app, its answers and this connection's
// events. A call either gets its answer or fails with one sentence (the app stopped answering, or went
// away before answering); it is never retried here, so nothing runs twice.
import { createConnection, type Socket } from 'node:net';
import type { Envelope } from '@shared/errors';
import type { ClientFrame, ServerFrame } from '@shared/wire';
import { readOwner } from '../owner';
import { controlAddress } from './address';
import { frameLine, lineReader, MAX_REPLY_BYTES } from './frames';

/** The running app did not answer a call: one sentence; whether the call took effect is unknown. */
export class ControlError extends Error {}

export interface ControlClient {
  /** "the running app (pid 12)", for messages. */
  readonly who: string;
  /** Sends one call; resolves with its envelope, rejects with a ControlError after `timeoutMs` without an answer or when the connection ends first. */
  call(name: string, input: unknown, timeoutMs: number): Promise<Envelope<unknown>>;
  /** Told of every event frame this connection receives. */
  onEvent(fn: (name: string, payload: unknown) => void): () => void;
  /** Settles when the connection ends, with why. */
  readonly ended: Promise<ControlError>;
  close(): void;
}

/** Errors of a connect that mean "nothing listens there": no socket file, or one its owner left behind when it died. */
const NOTHING_LISTENS = new Set(['ENOENT', 'ECONNREFUSED']);

/**
 * Connects to the control socket of `dataDir`'s owner. Resolves undefined when nothing listens;
 * rejects with a ControlError when something does but cannot be reached (another user's socket:
 * EACCES) or does not accept within `timeoutMs`.
 */
export function connectControl(dataDir: string, timeoutMs: number): Promise<ControlClient | undefined> {
  const address = controlAddress(dataDir);
  const owner = readOwner(dataDir);
  const who = owner ? `the running app (pid ${owner.pid})` : 'the running app';
  return new Promise((resolve, reject) => {
    const socket = createConnection(address);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new ControlError(`${who} stopped answering: its control socket ${address} accepted no connection within ${seconds(timeoutMs)}`));
    }, timeoutMs);
    socket.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (NOTHING_LISTENS.has(e.code ?? '')) resolve(undefined);
      else reject(new ControlError(`cannot reach ${who} on its control socket ${address}: ${e.code ?? e.message}`));
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(client(socket, who));
    });
  });
}

const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`);

function client(socket: Socket, who: string): ControlClient {
  const pending = new Map<number, { name: string; resolve: (e: Envelope<unknown>) => void; reject: (e: ControlError) => void; timer: NodeJS.Timeout }>();
  const listeners = new Set<(name: string, payload: unknown) => void>();
  let nextId = 1;
  let endedWith: ControlError | undefined;
  let settleEnded: (e: ControlError) => void = () => undefined;
  const ended = new Promise<ControlError>((r) => (settleEnded = r));

  /** Ends the connection for `why`: every call still waiting fails with its own sentence. */
  function end(why: (name: string | undefined) => ControlError) {
    if (endedWith) return;
    endedWith = why(undefined);
    for (const [, p] of pending) {
      clearTimeout(p.timer);
      p.reject(why(p.name));
    }
    pending.clear();
    socket.destroy();
    settleEnded(endedWith);
  }

  const read = lineReader(
    MAX_REPLY_BYTES,
    (line) => {
      let frame: ServerFrame;
      try {
        frame = JSON.parse(line) as ServerFrame;
      } catch {
        return end(() => new ControlError(`${who} sent something that is not a frame; the connection is closed`));
      }
      if (frame.type === 'event') {
        for (const l of listeners) l(frame.name, frame.payload);
      } else if (frame.type === 'result' && frame.id !== null) {
        const p = pending.get(frame.id);
        if (!p) return;
        pending.delete(frame.id);
        clearTimeout(p.timer);
        p.resolve(frame.result);
      } else if (frame.type === 'result') {
        const message = frame.result.ok ? 'an unexplained refusal' : frame.result.error.message;
        end(() => new ControlError(`${who} refused a frame: ${message}`));
      }
    },
    () => end(() => new ControlError(`${who} sent a frame longer than ${MAX_REPLY_BYTES} bytes; the connection is closed`)),
  );
  socket.on('data', read);
  socket.on('error', () => undefined); // 'close' follows and says it
  socket.on('close', () =>
    end((name) => new ControlError(name ? `${who} closed the connection before answering ${name}; it may have quit or crashed` : `${who} closed the connection; it may have quit or crashed`)),
  );

  return {
    who,
    ended,
    call(name, input, timeoutMs) {
      if (endedWith) return Promise.reject(endedWith);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new ControlError(`${who} stopped answering: no reply to ${name} within ${seconds(timeoutMs)}`));
          end(() => new ControlError(`${who} stopped answering`));
        }, timeoutMs);
        pending.set(id, { name, resolve, reject, timer });
        const frame: ClientFrame = { type: 'call', id, name, input };
        socket.write(frameLine(frame));
      });
    },
    onEvent(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    close() {
      end(() => new ControlError('the connection was closed here'));
    },
  };
}
