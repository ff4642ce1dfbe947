// Docker's /events stream for one engine, kept open across engine outages: when the stream ends
// the monitor is asked to recheck (so the outage shows at once), and when the engine is back the
// stream reopens with `since` = the last event seen, so nothing that happened meanwhile is lost.
import type { Readable } from 'node:stream';
import type { Engine } from './engines';

export interface DockerEvent {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  time: number;
  timeNano: number;
}

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
      });
      const closed = () => {
        if (stream !== s) return;
        stream = undefined;
        onState?.(false);
        // The engine went away (or the stream broke): find out now, reopen when it is back.
        if (!stopped) void engine.monitor.recheck().then((st) => st.state === 'connected' && void open());
      };
      s.on('end', closed);
      s.on('close', closed);
      s.on('error', closed);
    } catch {
      if (!stopped) void engine.monitor.recheck();
    } finally {
      opening = false;
    }
  }

  function handle(line: string) {
    let e: DockerEvent;
    try {
      e = JSON.parse(line) as DockerEvent;
    } catch {
      return;
    }
    // A resumed stream replays from `since` inclusive: drop what was already delivered.
    const key = `${e.timeNano}:${e.Type}:${e.Action}:${e.Actor?.ID}`;
    if (e.timeNano < lastNano || (e.timeNano === lastNano && seenAtLast.has(key))) return;
    if (e.timeNano > lastNano) {
      lastNano = e.timeNano;
      seenAtLast = new Set();
    }
    seenAtLast.add(key);
    onEvent(e);
  }

  const unsubscribe = engine.monitor.subscribe((st) => {
    if (st.state === 'connected') void open();
  });

  return {
    start() {
      stopped = false;
      if (engine.monitor.get().state === 'connected') void open();
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
