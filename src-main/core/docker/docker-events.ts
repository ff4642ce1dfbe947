// Docker's /events stream for one engine, kept open across engine outages: when the stream ends
// the monitor is asked to recheck (so the outage shows at once), and when the engine is back the
// stream reopens with `since` = the last event seen, so nothing that happened meanwhile is lost.
// Every line is read into Docker's vocabulary first (event-vocabulary.ts: Podman's words become
// Docker's), so `onEvent` only ever sees Docker's events.
import type { Readable } from 'node:stream';
import type { Engine } from './engine-registry';
import { fireAndForget } from '../fire-and-forget';
import { log } from '../log';
import { parseEventLine, type DockerEvent } from './event-vocabulary';

export type { DockerEvent } from './event-vocabulary';

/** A line longer than this is no event (Docker's are well under 64 KiB): dropped rather than buffered forever. */
const MAX_LINE = 1 << 20;

/**
 * Follows `engine`'s /events (container and image events) and calls `onEvent` with each one, in
 * Docker's vocabulary, once. A line that is not an event is skipped; an `onEvent` that throws is
 * logged: nothing thrown here escapes into the stream's handlers.
 */
export function watchDockerEvents(engine: Engine, onEvent: (e: DockerEvent) => void, onState?: (open: boolean) => void) {
  let stream: Readable | undefined;
  let lastNano = 0;
  let seenAtLast = new Set<string>();
  let stopped = false;
  let opening = false;

  async function open() {
    if (stopped || stream || opening) return;
    opening = true;
    // From the first opening on, every reopening asks for what happened since the last event seen.
    if (!lastNano) lastNano = Date.now() * 1e6;
    try {
      const since = (lastNano / 1e9).toFixed(9);
      const s = (await engine.docker.getEvents({
        since,
        filters: { type: ['container', 'image'] },
      } as object)) as unknown as Readable;
      if (stopped) return s.destroy();
      stream = s;
      onState?.(true);
      let buf = '';
      s.on('data', (chunk: Buffer) => {
        buf += chunk.toString('utf8');
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i).trim();
          buf = buf.slice(i + 1);
          if (line) handle(line);
        }
        if (buf.length > MAX_LINE) buf = '';
      });
      const closed = () => {
        if (stream !== s) return;
        stream = undefined;
        onState?.(false);
        // The engine went away (or the stream broke): find out now, reopen when it is back.
        if (!stopped) fireAndForget(engine.monitor.recheck().then((st) => (st.state === 'connected' ? open() : undefined)), `reopening the Docker events of engine ${engine.name}`);
      };
      s.on('end', closed);
      s.on('close', closed);
      s.on('error', closed);
    } catch {
      if (!stopped) fireAndForget(engine.monitor.recheck(), `check of engine ${engine.name}`);
    } finally {
      opening = false;
    }
  }

  function handle(line: string) {
    const e = parseEventLine(line);
    if (!e) return;
    // A resumed stream replays from `since` inclusive: drop what was already delivered.
    const key = `${e.timeNano}:${e.Type}:${e.Action}:${e.Actor?.ID}`;
    if (e.timeNano < lastNano || (e.timeNano === lastNano && seenAtLast.has(key))) return;
    if (e.timeNano > lastNano) {
      lastNano = e.timeNano;
      seenAtLast = new Set();
    }
    seenAtLast.add(key);
    try {
      onEvent(e);
    } catch (err) {
      log.warn('docker event handler failed', { engine: engine.name, type: e.Type, action: e.Action, message: (err as Error).message });
    }
  }

  const unsubscribe = engine.monitor.subscribe((st) => {
    if (st.state === 'connected') fireAndForget(open(), `Docker events of engine ${engine.name}`);
  });

  return {
    start() {
      stopped = false;
      if (engine.monitor.get().state === 'connected') fireAndForget(open(), `Docker events of engine ${engine.name}`);
    },
    isOpen: () => stream !== undefined,
    stop() {
      stopped = true;
      unsubscribe();
      stream?.destroy();
      stream = undefined;
    },
  };
}
export type DockerEventsWatch = ReturnType<typeof watchDockerEvents>;
