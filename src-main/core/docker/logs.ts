// Container output: Docker multiplexes stdout/stderr in 8-byte-header frames unless the container
// has a TTY. Lines keep their stream and the engine's timestamp.
import type { Readable } from 'node:stream';
import type { LogLine } from '@shared/contract';
import type { ContainerHandle } from './container-handle';

/** Splits Docker's multiplexed log stream into lines, across chunk boundaries. */
export function createLogDecoder(tty: boolean, timestamps: boolean, onLines: (lines: LogLine[]) => void) {
  let frames: Buffer = Buffer.alloc(0);
  const partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };

  const toLine = (stream: 'stdout' | 'stderr', raw: string): LogLine => {
    if (!timestamps) return { ts: null, stream, text: raw };
    const sp = raw.indexOf(' ');
    const ts = sp > 0 ? Date.parse(raw.slice(0, sp)) : NaN;
    return Number.isNaN(ts) ? { ts: null, stream, text: raw } : { ts, stream, text: raw.slice(sp + 1) };
  };
  const text = (stream: 'stdout' | 'stderr', s: string, out: LogLine[]) => {
    const all = partial[stream] + s;
    const parts = all.split('\n');
    partial[stream] = parts.pop()!;
    for (const p of parts) out.push(toLine(stream, p.replace(/\r$/, '')));
  };

  return {
    push(chunk: Buffer) {
      const out: LogLine[] = [];
      if (tty) text('stdout', chunk.toString('utf8'), out);
      else {
        frames = frames.length ? Buffer.concat([frames, chunk]) : chunk;
        while (frames.length >= 8) {
          const size = frames.readUInt32BE(4);
          if (frames.length < 8 + size) break;
          const stream = frames[0] === 2 ? 'stderr' : 'stdout';
          text(stream, frames.subarray(8, 8 + size).toString('utf8'), out);
          frames = frames.subarray(8 + size);
        }
      }
      if (out.length) onLines(out);
    },
    /** The last unterminated lines, when the stream ends. */
    end() {
      const out: LogLine[] = [];
      for (const s of ['stdout', 'stderr'] as const) if (partial[s]) out.push(toLine(s, partial[s]));
      partial.stdout = partial.stderr = '';
      if (out.length) onLines(out);
    },
  };
}

export async function tailLogs(container: ContainerHandle, tty: boolean, tail: number, timestamps: boolean): Promise<LogLine[]> {
  const lines: LogLine[] = [];
  const buf = (await container.logs({ stdout: true, stderr: true, tail, timestamps, follow: false })) as unknown as Buffer;
  const d = createLogDecoder(tty, timestamps, (l) => lines.push(...l));
  d.push(Buffer.isBuffer(buf) ? buf : Buffer.from(String(buf)));
  d.end();
  return lines;
}

/** Follows output until `stop()`, the container ends or the engine goes away (then `onEnd`). */
export async function followLogs(
  container: ContainerHandle,
  tty: boolean,
  tail: number,
  onLines: (lines: LogLine[]) => void,
  onEnd: () => void,
): Promise<{ stop(): void }> {
  const stream = (await container.logs({ stdout: true, stderr: true, tail, timestamps: true, follow: true })) as unknown as Readable;
  const d = createLogDecoder(tty, true, onLines);
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    d.end();
    onEnd();
  };
  stream.on('data', (c: Buffer) => d.push(c));
  stream.on('end', end);
  stream.on('close', end);
  stream.on('error', end);
  return {
    stop() {
      ended = true;
      stream.destroy();
    },
  };
}
