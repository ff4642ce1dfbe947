// One long-running tool process (nvidia-smi -lms, tegrastats --interval) read line by line,
// restarted with exponential backoff when it dies. Never blocks: spawn + stream events only.
import { spawn, type ChildProcess } from 'node:child_process';

export type ToolState = 'running' | 'restarting' | 'absent';

export interface StreamProcessOptions {
  command: string;
  args: string[];
  onLine(line: string): void;
  /** Told whenever the state changes (to drop stale figures: a gap, not zeros). */
  onState(state: ToolState, error?: string): void;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Output for this long resets the backoff. */
  healthyAfterMs?: number;
  env?: NodeJS.ProcessEnv;
}

export function createStreamProcess(opts: StreamProcessOptions) {
  const minBackoff = opts.minBackoffMs ?? 1000;
  const maxBackoff = opts.maxBackoffMs ?? 30_000;
  let backoff = minBackoff;
  let child: ChildProcess | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  let restarts = 0;

  function launch() {
    if (stopped) return;
    const startedAt = Date.now();
    let stderr = '';
    let buf = '';
    let sawOutput = false;
    const proc = spawn(opts.command, opts.args, { stdio: ['ignore', 'pipe', 'pipe'], env: opts.env ?? process.env });
    child = proc;
    proc.stdout!.setEncoding('utf8');
    proc.stdout!.on('data', (chunk: string) => {
      if (!sawOutput) {
        sawOutput = true;
        opts.onState('running');
      }
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trimEnd();
        buf = buf.slice(nl + 1);
        if (line) opts.onLine(line);
      }
      if (Date.now() - startedAt > (opts.healthyAfterMs ?? 30_000)) backoff = minBackoff;
    });
    proc.stderr!.setEncoding('utf8');
    proc.stderr!.on('data', (c: string) => (stderr = (stderr + c).slice(-2000)));
    let done = false;
    const ended = (error: string, absent: boolean) => {
      if (done) return;
      done = true;
      if (child === proc) child = undefined;
      if (stopped) return;
      opts.onState(absent ? 'absent' : 'restarting', error);
      restarts++;
      // A missing tool is looked for again rarely; a crashing one sooner, backing off.
      const wait = absent ? maxBackoff : backoff;
      backoff = Math.min(maxBackoff, backoff * 2);
      timer = setTimeout(launch, wait);
      timer.unref?.();
    };
    proc.on('error', (e: NodeJS.ErrnoException) =>
      ended(e.code === 'ENOENT' ? `${opts.command} not found` : `${opts.command}: ${e.message}`, e.code === 'ENOENT' || e.code === 'EACCES'),
    );
    proc.on('exit', (code, signal) => {
      const why = stderr.trim().split('\n').at(-1) || `exited with ${signal ?? `code ${code}`}`;
      ended(`${opts.command} ${why}`, false);
    });
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      launch();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      child?.kill('SIGKILL');
      child = undefined;
    },
    get restarts() {
      return restarts;
    },
    get pid() {
      return child?.pid;
    },
  };
}
