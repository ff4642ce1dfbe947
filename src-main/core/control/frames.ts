// The control socket's framing: one JSON frame per line (newline-delimited JSON), the same frames as
// serve mode's WebSocket (src-shared/wire.ts), each bounded in size.

/** A call, as large as a request body in serve mode may be. */
export const MAX_CALL_BYTES = 1024 * 1024;
/** A reply (a long metrics history, a big container list) may be larger, but not without bound. */
export const MAX_REPLY_BYTES = 64 * 1024 * 1024;

/**
 * Splits a byte stream into lines of at most `max` bytes (without the newline), decoded as UTF-8,
 * and gives each to `onLine`. A line longer than `max` calls `onTooLong` once and ends the reading
 * (the caller closes the connection): nothing after it is trusted to start a frame.
 */
export function lineReader(max: number, onLine: (line: string) => void, onTooLong: () => void): (chunk: Buffer) => void {
  let parts: Buffer[] = [];
  let size = 0;
  let failed = false;
  return (chunk) => {
    if (failed) return;
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      if (size + nl - start > max) break;
      parts.push(chunk.subarray(start, nl));
      const line = Buffer.concat(parts).toString('utf8');
      parts = [];
      size = 0;
      start = nl + 1;
      if (line.trim()) onLine(line);
    }
    const rest = chunk.length - start;
    if (size + rest > max || chunk.indexOf(10, start) !== -1) {
      failed = true;
      parts = [];
      return onTooLong();
    }
    if (rest) {
      parts.push(chunk.subarray(start));
      size += rest;
    }
  };
}

/** One frame as a line. */
export const frameLine = (frame: unknown): string => JSON.stringify(frame) + '\n';
