// For the tests: a fixture tree (fixtures/<name>) copied into a fresh temporary folder, which the
// reader takes as its root; it is removed after the test file.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

export function fakeTree(fixture?: string): { root: string; write(rel: string, text: string): void } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'mlenv-cgroup-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  if (fixture) cpSync(path.join(__dirname, 'fixtures', fixture), root, { recursive: true });
  return {
    root,
    /** Writes (or rewrites in place, as the kernel's files change under an open descriptor) a file of the tree. */
    write(rel: string, text: string) {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    },
  };
}

const MIB = 2 ** 20;

/** A system error as Node's fs raises it (`code`, `errno`, `syscall`). */
export function sysError(code: 'EAGAIN' | 'EINVAL' | 'EACCES' | 'ENOENT', file: string): NodeJS.ErrnoException {
  const errno = { EAGAIN: -11, EINVAL: -22, EACCES: -13, ENOENT: -2 }[code];
  return Object.assign(new Error(`${code}: write ${file}`), { code, errno, syscall: 'write', path: file });
}

/**
 * memparse (lib/cmdline.c), as memory.reclaim parses its value after stripping white space: decimal
 * digits with an optional K, M, G, T, P or E suffix (either case, powers of 1024); null for anything else (EINVAL).
 */
function memparse(text: string): number | null {
  const m = /^(\d+)([kmgtpe]?)$/i.exec(text.trim());
  if (!m) return null;
  const shift = ' kmgtpe'.indexOf((m[2] || ' ').toLowerCase()) * 10;
  return Number(m[1]) * 2 ** shift;
}

/**
 * A stand-in for the kernel behind cgroup v2 memory.reclaim in a fake tree (this machine is v1 and
 * has no swap): a WriteCgroupFile that keeps every write in `writes`, and for a write to
 * `<cgroup>/memory.reclaim` reclaims as the kernel does in effect (cgroup-v2.rst; mm/memcontrol.c):
 * the value parsed by memparse (EINVAL otherwise); clean file pages first (memory.stat `file`:
 * dropped, so memory.current falls and memory.swap.current does not), then anonymous and tmpfs pages
 * to swap (memory.current falls, memory.swap.current rises) while the cgroup's memory.swap.max leaves
 * room; never the last `unreclaimableBytes` (kernel memory, locked pages); at most
 * `perWrite(n, dir)` bytes on the n-th write to that cgroup (0-based: the kernel's retries giving up
 * early); and EAGAIN when it reclaimed less than asked. Any other file: EACCES.
 */
export function fakeReclaimKernel(opts: { unreclaimableBytes?: number; perWrite?: (n: number, dir: string) => number } = {}) {
  const writes: { file: string; text: string }[] = [];
  const fileLeft = new Map<string, number>();
  const count = new Map<string, number>();
  const num = (file: string): number | 'max' | undefined => {
    if (!existsSync(file)) return undefined;
    const t = readFileSync(file, 'latin1').trim();
    return t === 'max' ? 'max' : /^\d+$/.test(t) ? Number(t) : undefined;
  };
  const write = async (file: string, text: string): Promise<void> => {
    writes.push({ file, text });
    if (path.basename(file) !== 'memory.reclaim' || !existsSync(file)) throw sysError(existsSync(file) ? 'EACCES' : 'ENOENT', file);
    const dir = path.dirname(file);
    const asked = memparse(text);
    if (asked === null) throw sysError('EINVAL', file);
    const n = count.get(dir) ?? 0;
    count.set(dir, n + 1);
    const current = num(`${dir}/memory.current`) as number;
    const swap = (num(`${dir}/memory.swap.current`) as number | undefined) ?? 0;
    const swapMax = num(`${dir}/memory.swap.max`) ?? 'max';
    if (!fileLeft.has(dir)) {
      const stat = existsSync(`${dir}/memory.stat`) ? readFileSync(`${dir}/memory.stat`, 'latin1') : '';
      fileLeft.set(dir, Number(/^file (\d+)$/m.exec(stat)?.[1] ?? 0));
    }
    let budget = Math.min(asked, opts.perWrite ? opts.perWrite(n, dir) : Infinity, Math.max(0, current - (opts.unreclaimableBytes ?? 8 * MIB)));
    const dropped = Math.min(budget, fileLeft.get(dir)!);
    fileLeft.set(dir, fileLeft.get(dir)! - dropped);
    budget -= dropped;
    const swapped = Math.min(budget, swapMax === 'max' ? Infinity : Math.max(0, swapMax - swap));
    const reclaimed = dropped + swapped;
    writeFileSync(`${dir}/memory.current`, `${current - reclaimed}\n`);
    writeFileSync(`${dir}/memory.swap.current`, `${swap + swapped}\n`);
    if (reclaimed < asked) throw sysError('EAGAIN', file);
  };
  return { write, writes };
}
