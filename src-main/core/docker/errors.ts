import { AppError } from '@shared/errors';

interface EngineError {
  statusCode?: number;
  code?: string;
  message?: string;
  json?: { message?: string } | null;
  reason?: string;
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'EACCES']);

/**
 * Linux's rlimits by number (include/uapi/asm-generic/resource.h, the numbering of every architecture
 * Docker ships for; MIPS, SPARC and Alpha number a few differently): the kernel's name (RLIMIT_<name>,
 * systemd's Limit<name>), Docker's `--ulimit` name (none for AS) and what it limits.
 */
const RLIMITS: readonly { kernel: string; docker: string | null; what: string }[] = [
  { kernel: 'CPU', docker: 'cpu', what: 'CPU time' },
  { kernel: 'FSIZE', docker: 'fsize', what: 'file size' },
  { kernel: 'DATA', docker: 'data', what: 'data size' },
  { kernel: 'STACK', docker: 'stack', what: 'stack size' },
  { kernel: 'CORE', docker: 'core', what: 'core file size' },
  { kernel: 'RSS', docker: 'rss', what: 'resident set' },
  { kernel: 'NPROC', docker: 'nproc', what: 'processes' },
  { kernel: 'NOFILE', docker: 'nofile', what: 'open files' },
  { kernel: 'MEMLOCK', docker: 'memlock', what: 'locked memory' },
  { kernel: 'AS', docker: null, what: 'address space' },
  { kernel: 'LOCKS', docker: 'locks', what: 'file locks' },
  { kernel: 'SIGPENDING', docker: 'sigpending', what: 'pending signals' },
  { kernel: 'MSGQUEUE', docker: 'msgqueue', what: 'POSIX message queues' },
  { kernel: 'NICE', docker: 'nice', what: 'nice priority' },
  { kernel: 'RTPRIO', docker: 'rtprio', what: 'realtime priority' },
  { kernel: 'RTTIME', docker: 'rttime', what: 'realtime CPU time' },
];

/**
 * The runtime's refusal to set a container's rlimit above what the engine itself holds (a rootless or
 * restricted dockerd without CAP_SYS_RESOURCE), in runc's words ("error setting rlimit type 8:
 * operation not permitted", libcontainer's setupRlimits) or crun's ("setrlimit `RLIMIT_MEMLOCK`:
 * Operation not permitted") → one sentence naming the ulimit and the remedy; null for other messages.
 */
export function rlimitRefusal(msg: string): string | null {
  const runc = /error setting rlimit type (\d+): operation not permitted/i.exec(msg);
  const crun = runc ? null : /setrlimit `RLIMIT_([A-Z]+)`: operation not permitted/i.exec(msg);
  if (!runc && !crun) return null;
  const limit = runc ? RLIMITS[Number(runc[1])] : RLIMITS.find((r) => r.kernel === crun![1]!.toUpperCase());
  const said = (runc ?? crun)![0];
  const name = limit ? (limit.docker ?? `RLIMIT_${limit.kernel}`) : runc ? `rlimit type ${runc[1]}` : `RLIMIT_${crun![1]}`;
  return (
    `the engine may not raise the container's ${name} limit${limit ? ` (${limit.what})` : ''} as far as asked, since its own limit is lower and it cannot lift it (a rootless or restricted dockerd): ` +
    `lower ${limit?.docker ? `--ulimit ${limit.docker}` : 'that limit'} to at most the engine's, or run dockerd with a higher ${limit ? `Limit${limit.kernel}` : 'limit'} (${said})`
  );
}

/** The engine's own message when it sent one (dockerode puts the JSON body in `json`). */
export function engineMessage(e: unknown): string {
  const err = e as EngineError;
  const body = err.json?.message;
  if (body) return body;
  return (err.message ?? String(e)).replace(/^\(HTTP code \d+\)\s*[a-z ]*-\s*/i, '');
}

/**
 * An engine failure → a typed error carrying the engine's message: image missing, port taken,
 * conflict, a ulimit the engine cannot grant (rlimitRefusal)… Any other answer with an HTTP status (a 500 such as an OCI runtime or nvidia-container-cli
 * failure, a 403 from an authorization plugin) is ENGINE_ERROR, keeping the engine's words for the
 * user; only a failure without an engine answer is INTERNAL (whose text callers do not see).
 */
export function toAppError(e: unknown, doing: string, engine: string): AppError {
  if (e instanceof AppError) return e;
  const err = e as EngineError;
  const msg = engineMessage(e);
  if (err.code && CONNECT_CODES.has(err.code)) {
    return new AppError('ENGINE_UNAVAILABLE', `${doing}: the Docker engine "${engine}" is unreachable (${err.code}: ${err.message})`);
  }
  const rlimit = typeof err.statusCode === 'number' ? rlimitRefusal(msg) : null;
  if (rlimit) return new AppError('ENGINE_ERROR', `${doing}: ${rlimit}`);
  switch (err.statusCode) {
    case 400:
      return new AppError('INVALID_INPUT', `${doing}: the engine refused it: ${msg}`);
    case 404:
      return new AppError('NOT_FOUND', `${doing}: ${msg}`);
    case 304:
      return new AppError('CONFLICT', `${doing}: nothing to do (already in that state)`);
    case 409:
      return new AppError('CONFLICT', `${doing}: ${msg}`);
    case 500:
      if (/port is already allocated|address already in use/i.test(msg)) return new AppError('CONFLICT', `${doing}: ${msg}`);
      return new AppError('ENGINE_ERROR', `${doing}: the engine failed: ${msg}`);
    default:
      if (typeof err.statusCode === 'number') return new AppError('ENGINE_ERROR', `${doing}: the engine answered ${err.statusCode}: ${msg}`);
      return new AppError('INTERNAL', `${doing}: ${msg}`);
  }
}
