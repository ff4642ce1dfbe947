// One long-running tool process (nvidia-smi -lms, tegrastats --interval) read line by line,
// restarted with exponential backoff when it dies. Never blocks: spawn + stream events only.
// It is running once it has printed a record (a tool that prints only errors and exits is not), and the
// reason it stopped is the last line it printed that is not a record, on stdout or stderr: nvidia-smi
// prints its errors on stdout.
import { spawn, type ChildProcess } from 'node:child_process';
import { toolLine } from './tool-line';

export type ToolState = 'running' | 'restarting' | 'absent';

export interface StreamProcessOptions {
  command: string;
  args: string[];
  /** One stdout line; returning false says it was not a record (a message), anything else that it was. */
  onLine(line: string): boolean | void;
  /** One stderr line (always a message). */
  onErrorLine?(line: string): void;
  /**
   * Told when the state changes (to drop stale figures: a gap, not zeros): running at the first record of
   * a launch, restarting or absent when it ends. Each failed launch tells its end again: the caller
   * decides what is news (one outage however many retries fail).
   */
  onState(state: ToolState, error?: string): void;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Output for this long resets the backoff. */
  healthyAfterMs?: number;
  env?: NodeJS.ProcessEnv;
  /**
   * Asked before every spawn (the first and each restart): a reason refuses it, which counts as the
   * tool being absent with that reason (looked at again after the longest backoff).
   */
  verify?: () => string | null;
}

export function createStreamProcess(opts: StreamProcessOptions) {
  const minBackoff = opts.minBackoffMs ?? 1000;
  const maxBackoff = opts.maxBackoffMs ?? 30_000;
  let backoff = minBackoff;
  let child: ChildProcess | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  let restarts = 0;
  let lastWait = 0;

  /** After an end: tells the state, then tries again (a missing tool rarely, a crashing one sooner, backing off). */
  function retry(error: string, absent: boolean) {
    opts.onState(absent ? 'absent' : 'restarting', error);
    restarts++;
    const wait = absent ? maxBackoff : backoff;
    lastWait = wait;
    backoff = Math.min(maxBackoff, backoff * 2);
    // A one-shot timer, not every(): the relaunch follows the process's end, each wait differs (doubling), and launch() returns before the process ends.
    timer = setTimeout(launch, wait);
    timer.unref?.();
  }
  function launch() {
    if (stopped) return;
    const startedAt = Date.now();
    let lastMessage = '';
    let sawRecord = false;
    const refused = opts.verify?.();
    if (refused) return retry(refused, true);
    let proc: ChildProcess;
    try {
      proc = spawn(opts.command, opts.args, { stdio: ['ignore', 'pipe', 'pipe'], env: opts.env ?? process.env });
    } catch (e) {
      return retry(toolLine(`${opts.command}: ${(e as Error).message}`), true); // refused at once (e.g. a NUL in an argument)
    }
    child = proc;
    const lines = (stream: NodeJS.ReadableStream, each: (line: string) => void) => {
      let buf = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        buf = (buf + chunk).slice(-1_000_000); // a tool that never prints a newline cannot grow this without bound
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line) each(line);
        }
      });
      stream.on('end', () => buf.trim() && each(buf.trim())); // a last line without a newline
    };
    lines(proc.stdout!, (line) => {
      if (opts.onLine(line) === false) {
        lastMessage = line;
        return;
      }
      if (!sawRecord) {
        sawRecord = true;
        opts.onState('running');
      }
      if (Date.now() - startedAt > (opts.healthyAfterMs ?? 30_000)) backoff = minBackoff;
    });
    lines(proc.stderr!, (line) => {
      lastMessage = line;
      opts.onErrorLine?.(line);
    });
    let done = false;
    const ended = (error: string, absent: boolean) => {
      if (done) return;
      done = true;
      if (child === proc) child = undefined;
      if (stopped) return;
      retry(toolLine(error), absent);
    };
    proc.on('error', (e: NodeJS.ErrnoException) =>
      ended(e.code === 'ENOENT' ? `${opts.command} not found` : `${opts.command}: ${e.message}`, e.code === 'ENOENT' || e.code === 'EACCES'),
    );
    // 'close' comes once both pipes are drained, so the last line printed is in.
    proc.on('close', (code, signal) => ended(lastMessage || `${opts.command} exited with ${signal ?? `code ${code}`}`, false));
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
    /** The wait (ms) before the latest relaunch: doubles at each failed launch, from minBackoffMs up to maxBackoffMs. */
    get backoffMs() {
      return lastWait;
    },
    get pid() {
      return child?.pid;
    },
  };
}
