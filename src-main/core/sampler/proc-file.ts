// A /proc or /sys file kept open and re-read from offset 0 each tick: one pread instead of
// open + fstat + read + close through the thread pool (the sampler's main cost at 1 Hz).
import { open, type FileHandle } from 'node:fs/promises';

export function createProcFile(path: string, initialSize = 16 * 1024) {
  let handle: FileHandle | undefined;
  let buf = Buffer.allocUnsafe(initialSize);
  return {
    async read(): Promise<string> {
      handle ??= await open(path, 'r');
      try {
        for (;;) {
          const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
          if (bytesRead < buf.length) return buf.toString('utf8', 0, bytesRead);
          buf = Buffer.allocUnsafe(buf.length * 2); // did not fit: read again with room to spare
        }
      } catch (e) {
        // A file that went away (hot-unplugged sensor) is reopened next time.
        await handle.close().catch(() => undefined);
        handle = undefined;
        throw e;
      }
    },
    async close() {
      await handle?.close().catch(() => undefined);
      handle = undefined;
    },
  };
}
export type ProcFile = ReturnType<typeof createProcFile>;
