// One owner per data folder. The desktop app, `mlenv serve`, and a CLI command that changes something
// while neither runs each open the engine and mlenv.db; only one of them may do so at a time, so that
// what one process decides (a launch admitted, a reservation held) is not undone by another.
//
// The owner holds an exclusive lock on <data>/running/owner.lock: an empty SQLite file kept in an open
// `BEGIN EXCLUSIVE` transaction. That is the operating system's own file lock (POSIX fcntl on Linux and
// macOS, LockFileEx on Windows; Node has no flock), so exactly one process gets it however many start at
// once, and it is released by the kernel when the process dies (kill -9 included): there is no stale lock
// to clean up. Beside it, owner.json says who holds it (pid, transport, address) for the sentence a second
// owner gets and for the CLI's errors.
//
// The rule for everything else: a decision that must hold across processes (a reservation that must
// survive a crash, a check-then-write two processes could race on) is made inside mlenv.db with
// `BEGIN IMMEDIATE` (better-sqlite3: `db.transaction(fn).immediate()`), never in one process's memory.
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureDataFolder } from './store/db';
import { holdExclusiveLock, LockHeld, type FileLock } from './store/file-lock';

/** The folder (mode 0700) of the owner lock, owner.json and the control socket. */
export const OWNER_DIR = 'running';
const LOCK_FILE = 'owner.lock';
const INFO_FILE = 'owner.json';

/**
 * How the owner is reached. 'desktop' and 'serve' run until quit and answer on the control socket;
 * 'command' is one CLI command; 'core' is a core embedded in something else (tests, benchmarks).
 */
export type OwnerTransport = 'desktop' | 'serve' | 'command' | 'core';

export interface OwnerClaim {
  transport: OwnerTransport;
  /** For 'command': what runs, e.g. "mlenv stop". */
  command?: string;
}

export interface OwnerInfo extends OwnerClaim {
  pid: number;
  /** For 'serve', once it listens: its origin, e.g. http://127.0.0.1:8765 (never the token). */
  url?: string;
  version: string;
  /** ms since epoch. */
  startedAt: number;
}

/** A second owner, refused: the message is one sentence naming the first. */
export class OwnerRefused extends Error {
  constructor(
    message: string,
    readonly holder: OwnerInfo | undefined,
  ) {
    super(message);
  }
}

export const ownerDir = (dataDir: string) => path.join(dataDir, OWNER_DIR);

/** True when a process with this pid exists (EPERM: it exists, owned by someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** "the desktop app (pid 12)", "mlenv serve on http://127.0.0.1:8765 (pid 12)", "mlenv stop (pid 12)". */
export function describeOwner(o: OwnerInfo | undefined): string {
  if (!o) return 'another MLEnv process';
  switch (o.transport) {
    case 'desktop':
      return `the desktop app (pid ${o.pid})`;
    case 'serve':
      return o.url ? `mlenv serve on ${o.url} (pid ${o.pid})` : `mlenv serve (pid ${o.pid}, still starting)`;
    case 'command':
      return `${o.command ?? 'an mlenv command'} (pid ${o.pid})`;
    default:
      return `an MLEnv process (pid ${o.pid})`;
  }
}

/** The sentence a second owner gets: "MLEnv is already running on <dir>: the desktop app (pid 12); …". */
export const refusal = (dataDir: string, holder: OwnerInfo | undefined) =>
  `MLEnv is already running on ${dataDir}: ${describeOwner(holder)}; one process at a time owns a data folder (quit that one first, or use another --data-dir)`;

/** Who owns `dataDir` by its owner.json, when that names a live process; undefined otherwise. */
export function readOwner(dataDir: string): OwnerInfo | undefined {
  let o: Partial<OwnerInfo>;
  try {
    o = JSON.parse(readFileSync(path.join(ownerDir(dataDir), INFO_FILE), 'utf8')) as Partial<OwnerInfo>;
  } catch {
    return undefined;
  }
  if (typeof o.pid !== 'number' || !Number.isInteger(o.pid) || typeof o.transport !== 'string' || !processAlive(o.pid)) return undefined;
  return {
    pid: o.pid,
    transport: o.transport,
    ...(typeof o.command === 'string' ? { command: o.command } : {}),
    ...(typeof o.url === 'string' ? { url: o.url } : {}),
    version: typeof o.version === 'string' ? o.version : '',
    startedAt: typeof o.startedAt === 'number' ? o.startedAt : 0,
  };
}

/**
 * The owner's info once it is complete (a serve that holds the lock but does not listen yet has no
 * address): polls owner.json for up to `waitMs`, then gives what it has. For the refusal sentence only.
 */
export async function settledOwner(dataDir: string, waitMs = 5000): Promise<OwnerInfo | undefined> {
  const end = Date.now() + waitMs;
  for (;;) {
    const o = readOwner(dataDir);
    if ((o && (o.transport !== 'serve' || o.url)) || Date.now() >= end) return o;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The running/ folder, created 0700 (and made so when it exists: it holds the control socket). */
export function ensureOwnerDir(dataDir: string): string {
  ensureDataFolder(dataDir);
  const dir = ownerDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') chmodSync(dir, 0o700);
  return dir;
}

function writeInfo(dataDir: string, info: OwnerInfo) {
  const file = path.join(ownerDir(dataDir), INFO_FILE);
  const tmp = `${file}.${info.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(info) + '\n', { mode: 0o600 });
  renameSync(tmp, file); // readers see the old file or the new one, never half of one
}

/**
 * Makes this process the owner of `dataDir`, at once or not at all. Throws OwnerRefused ("MLEnv is
 * already running on <dir>: the desktop app (pid 12) …") while another process owns it, and one
 * sentence naming the folder when it cannot be used. `release()` (idempotent) gives it up; so does the
 * process ending in any way. Keep the returned object referenced while owning: the lock's database
 * handle is closed, and the lock given up, when it is garbage-collected.
 */
export function acquireOwner(dataDir: string, claim: OwnerClaim & { version: string; startedAt?: number }, opts: { sqliteBinding?: string } = {}) {
  const dir = ensureOwnerDir(dataDir);
  let lock: FileLock;
  try {
    lock = holdExclusiveLock(path.join(dir, LOCK_FILE), opts);
  } catch (e) {
    if (!(e instanceof LockHeld)) throw e;
    const holder = readOwner(dataDir);
    throw new OwnerRefused(refusal(dataDir, holder), holder);
  }
  const info: OwnerInfo = { pid: process.pid, ...claim, startedAt: claim.startedAt ?? Date.now() };
  writeInfo(dataDir, info);
  let held = true;
  return {
    info,
    /** Records the owner's address once it listens (serve mode), for the sentences that name it. */
    setUrl(url: string): void {
      if (!held) return;
      info.url = url;
      writeInfo(dataDir, info);
    },
    release(): void {
      if (!held) return;
      held = false;
      rmSync(path.join(dir, INFO_FILE), { force: true });
      lock.release();
    },
  };
}
export type Owner = ReturnType<typeof acquireOwner>;
