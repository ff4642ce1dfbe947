// NVIDIA GPUs through one long-running `nvidia-smi --query-gpu=… -lms <interval>`: optional fields
// are probed first (one rejected field fails the whole query); the stream is read round by round
// (nvidia-rounds.ts), so a faulted or vanished GPU is shown lost in nvidia-smi's words, never frozen or
// silently gone, and a dead nvidia-smi is a gap. Per-process VRAM every few seconds, or "unknown" with why.
import { execFile } from 'node:child_process';
import type { GpuFault, GpuProcess, GpuSample, GpuSourceStatus } from '@shared/contract';
import { every, type Loop } from '../../every';
import { createStreamProcess } from '../stream-process';
import { toolLine } from '../tool-line';
import { containerIdOfPid } from './cgroup';
import { GPU_FIELDS, parseComputeApps, type GpuField } from './nvidia-csv';
import { createNvidiaRounds, type NvidiaRounds } from './nvidia-rounds';

export interface NvidiaSmiOptions {
  /** Path or name on PATH. */
  command?: string;
  intervalMs: number;
  appsEveryMs?: number;
  /** How long to wait before looking again for a missing nvidia-smi. */
  absentRetryMs?: number;
  minBackoffMs?: number;
  env?: NodeJS.ProcessEnv;
  procRoot?: string;
  /**
   * Told when the source changes state (to journal a dying or vanished nvidia-smi): once on entering an
   * outage, however many relaunches fail in it, and once on recovery; not when only the error's words change.
   */
  onStatus?: (status: GpuSourceStatus) => void;
  /** Told once when a GPU's fault starts (or changes) and once when it clears (null), to journal it. */
  onFault?: (gpu: GpuSample, fault: GpuFault | null) => void;
  /** Asked before every run of the tool (toolPathProblem for a configured path): a reason refuses the run. */
  verify?: () => string | null;
}

const FORMAT = '--format=csv,noheader,nounits';

interface RunResult {
  ok: boolean;
  out: string;
  notFound?: boolean;
  /** Not run: verify() refused it; `out` is the reason. */
  refused?: boolean;
}

function run(cmd: string, args: string[], env?: NodeJS.ProcessEnv, verify?: () => string | null): Promise<RunResult> {
  const refused = verify?.();
  if (refused) return Promise.resolve({ ok: false, out: refused, refused: true });
  return new Promise((resolve) => {
    try {
      execFile(cmd, args, { timeout: 10_000, env: env ?? process.env }, (err, stdout, stderr) => {
        const code = (err as NodeJS.ErrnoException | null)?.code;
        resolve({ ok: !err, out: err ? (String(stderr).trim() || String(stdout).trim() || err.message) : String(stdout), notFound: code === 'ENOENT' || code === 'EACCES' });
      });
    } catch (e) {
      resolve({ ok: false, out: (e as Error).message }); // refused at once (e.g. a NUL in an argument)
    }
  });
}

export function createNvidiaSmiSampler(opts: NvidiaSmiOptions) {
  const command = opts.command ?? 'nvidia-smi';
  let status: GpuSourceStatus = { tool: 'nvidia-smi', state: 'absent', error: 'not started' };
  let fields: GpuField[] = [];
  let rounds: NvidiaRounds | undefined;
  /** The last `--query-compute-apps` answer: per GPU uuid, or null with why (null error: not asked yet). */
  let apps: { byUuid: Map<string, GpuProcess[]> | null; error: string | null } = { byUuid: null, error: null };
  const pidContainer = new Map<number, string | null>();
  let stream: ReturnType<typeof createStreamProcess> | undefined;
  let appsLoop: Loop | undefined;
  /** While nvidia-smi is absent: looks again every absentRetryMs until it is there. */
  let retryLoop: Loop | undefined;
  let stopped = true;
  let told: GpuSourceStatus['state'] | undefined;
  const setStatus = (next: GpuSourceStatus) => {
    status = next;
    // One outage is one entry: a relaunch that fails again, in other words or the same, is not news.
    if (next.state !== told) {
      told = next.state;
      opts.onStatus?.(next);
    }
  };

  /** Picks, for each field, the first name this driver accepts; required fields are taken as they are. */
  async function probe(): Promise<GpuField[] | string> {
    const base = await run(command, ['--query-gpu=index', FORMAT], opts.env, opts.verify);
    if (!base.ok) return base.notFound ? `${command} not found` : base.refused ? base.out : toolLine(base.out.split('\n')[0]!);
    const preferred = GPU_FIELDS.map((f) => ({ ...f, names: [f.names[0]!] }));
    const all = await run(command, [`--query-gpu=${preferred.map((f) => f.names[0]).join(',')}`, FORMAT], opts.env, opts.verify);
    if (all.ok) return preferred;
    const out: GpuField[] = [];
    for (const f of GPU_FIELDS) {
      if (!f.optional) {
        out.push({ ...f, names: [f.names[0]!] });
        continue;
      }
      for (const name of f.names) {
        if ((await run(command, [`--query-gpu=${name}`, FORMAT], opts.env, opts.verify)).ok) {
          out.push({ ...f, names: [name] });
          break;
        }
      }
    }
    return out;
  }

  async function refreshApps() {
    const r = await run(command, ['--query-compute-apps=pid,process_name,used_gpu_memory,gpu_uuid', FORMAT], opts.env, opts.verify);
    if (stopped) return;
    if (!r.ok) {
      // e.g. "No devices were found" (exit 6), "Failed to initialize NVML: Unknown Error" (exit 255):
      // the list is unknown now, and the last one is not shown as if it were current.
      apps = { byUuid: null, error: toolLine(r.out.split('\n').find((l) => l.trim()) ?? r.out) || `${command} --query-compute-apps failed` };
      return;
    }
    const next = new Map<string, GpuProcess[]>();
    const alive = new Set<number>();
    for (const app of parseComputeApps(r.out)) {
      alive.add(app.pid);
      if (!pidContainer.has(app.pid)) pidContainer.set(app.pid, await containerIdOfPid(app.pid, opts.procRoot));
      const list = next.get(app.gpuUuid) ?? [];
      list.push({ pid: app.pid, name: app.name, usedMiB: app.usedMiB, containerId: pidContainer.get(app.pid) ?? null });
      next.set(app.gpuUuid, list);
    }
    for (const pid of pidContainer.keys()) if (!alive.has(pid)) pidContainer.delete(pid);
    if (!stopped) apps = { byUuid: next, error: null };
  }

  async function begin() {
    if (stopped) return;
    const probed = await probe();
    if (stopped) return;
    if (typeof probed === 'string') {
      setStatus({ tool: 'nvidia-smi', state: 'absent', error: probed });
      retryLoop ??= every(opts.absentRetryMs ?? 60_000, begin, { what: 'nvidia-smi start' });
      return;
    }
    void retryLoop?.dispose(); // called from within its own run: ends it without waiting for itself
    retryLoop = undefined;
    fields = probed;
    const query = `--query-gpu=${fields.map((f) => f.names[0]).join(',')}`;
    const tracker = createNvidiaRounds({ fields, staleMs: Math.max(5000, opts.intervalMs * 5), onFault: opts.onFault });
    rounds = tracker;
    stream = createStreamProcess({
      command,
      args: [query, FORMAT, '-lms', String(opts.intervalMs)],
      env: opts.env,
      minBackoffMs: opts.minBackoffMs,
      verify: opts.verify,
      onLine: (line) => tracker.line(line, Date.now()),
      onErrorLine: (line) => void tracker.line(line, Date.now(), true),
      onState(state, error) {
        if (state !== 'running') tracker.restart(); // a gap, not the last figures frozen
        setStatus({ tool: 'nvidia-smi', state, ...(error ? { error } : {}) });
      },
    });
    stream.start();
    appsLoop = every(opts.appsEveryMs ?? 5000, refreshApps, { what: 'nvidia-smi process list', firstMs: 0 });
  }

  return {
    async start() {
      if (!stopped) return;
      stopped = false;
      await begin();
    },
    stop() {
      stopped = true;
      void appsLoop?.dispose(); // a run in flight sees `stopped` and keeps nothing
      void retryLoop?.dispose();
      appsLoop = retryLoop = undefined;
      stream?.stop();
      stream = undefined;
      rounds = undefined;
      apps = { byUuid: null, error: null };
    },
    /**
     * While nvidia-smi runs: every GPU by index, with its latest figures, or lost / faulted with null
     * figures and nvidia-smi's words (kept, with identity, until it reports again). Processes per GPU, or
     * null with processesError. Empty while nvidia-smi is not running (a gap: status() says why).
     */
    latest(): GpuSample[] {
      if (status.state !== 'running' || !rounds) return [];
      return rounds.gpus(Date.now()).map((g) => ({
        ...g,
        processes: apps.byUuid ? (g.uuid ? (apps.byUuid.get(g.uuid) ?? []) : null) : null,
        processesError: apps.error,
      }));
    },
    status: (): GpuSourceStatus => status,
    /** The fields this driver accepted (for `mlenv stats` and tests). */
    fields: () => fields.map((f) => f.names[0]!),
    get restarts() {
      return stream?.restarts ?? 0;
    },
    /** The wait (ms) before the latest relaunch of the stream (backoff). */
    get backoffMs() {
      return stream?.backoffMs ?? 0;
    },
    get pid() {
      return stream?.pid;
    },
  };
}
export type NvidiaSmiSampler = ReturnType<typeof createNvidiaSmiSampler>;
