// NVIDIA GPUs through one long-running `nvidia-smi --query-gpu=… -lms <interval>`: optional fields
// are probed first (one rejected field fails the whole query), rows are kept per GPU and dropped when
// stale, so a dead nvidia-smi or a vanished GPU shows as a gap. Per-process VRAM every few seconds.
import { execFile } from 'node:child_process';
import type { GpuProcess, GpuSample, GpuSourceStatus } from '@shared/contract';
import { createStreamProcess } from '../stream-process';
import { containerIdOfPid } from './cgroup';
import { GPU_FIELDS, parseComputeApps, parseGpuLine, type GpuField } from './nvidia-csv';

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
  /** Told when the source changes state (to journal a dying or vanished nvidia-smi). */
  onStatus?: (status: GpuSourceStatus) => void;
}

const FORMAT = '--format=csv,noheader,nounits';

function run(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<{ ok: boolean; out: string; notFound?: boolean }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 10_000, env: env ?? process.env }, (err, stdout, stderr) => {
      const code = (err as NodeJS.ErrnoException | null)?.code;
      resolve({ ok: !err, out: err ? (String(stderr).trim() || String(stdout).trim() || err.message) : String(stdout), notFound: code === 'ENOENT' || code === 'EACCES' });
    });
  });
}

export function createNvidiaSmiSampler(opts: NvidiaSmiOptions) {
  const command = opts.command ?? 'nvidia-smi';
  let status: GpuSourceStatus = { tool: 'nvidia-smi', state: 'absent', error: 'not started' };
  let fields: GpuField[] = [];
  const rows = new Map<string, { gpu: GpuSample; at: number }>();
  let processes = new Map<string, GpuProcess[]>();
  const pidContainer = new Map<number, string | null>();
  let stream: ReturnType<typeof createStreamProcess> | undefined;
  let appsTimer: NodeJS.Timeout | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let stopped = true;
  const setStatus = (next: GpuSourceStatus) => {
    const changed = next.state !== status.state || next.error !== status.error;
    status = next;
    if (changed) opts.onStatus?.(next);
  };

  /** Picks, for each field, the first name this driver accepts; required fields are taken as they are. */
  async function probe(): Promise<GpuField[] | string> {
    const base = await run(command, ['--query-gpu=index', FORMAT], opts.env);
    if (!base.ok) return base.notFound ? `${command} not found` : base.out.split('\n')[0]!;
    const preferred = GPU_FIELDS.map((f) => ({ ...f, names: [f.names[0]!] }));
    const all = await run(command, [`--query-gpu=${preferred.map((f) => f.names[0]).join(',')}`, FORMAT], opts.env);
    if (all.ok) return preferred;
    const out: GpuField[] = [];
    for (const f of GPU_FIELDS) {
      if (!f.optional) {
        out.push({ ...f, names: [f.names[0]!] });
        continue;
      }
      for (const name of f.names) {
        if ((await run(command, [`--query-gpu=${name}`, FORMAT], opts.env)).ok) {
          out.push({ ...f, names: [name] });
          break;
        }
      }
    }
    return out;
  }

  async function refreshApps() {
    const r = await run(command, ['--query-compute-apps=pid,process_name,used_gpu_memory,gpu_uuid', FORMAT], opts.env);
    if (!r.ok) return;
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
    processes = next;
  }

  function scheduleApps() {
    appsTimer = setTimeout(() => {
      void refreshApps().finally(() => !stopped && scheduleApps());
    }, opts.appsEveryMs ?? 5000);
    appsTimer.unref?.();
  }

  async function begin() {
    if (stopped) return;
    const probed = await probe();
    if (stopped) return;
    if (typeof probed === 'string') {
      setStatus({ tool: 'nvidia-smi', state: 'absent', error: probed });
      retryTimer = setTimeout(() => void begin(), opts.absentRetryMs ?? 60_000);
      retryTimer.unref?.();
      return;
    }
    fields = probed;
    const query = `--query-gpu=${fields.map((f) => f.names[0]).join(',')}`;
    stream = createStreamProcess({
      command,
      args: [query, FORMAT, '-lms', String(opts.intervalMs)],
      env: opts.env,
      minBackoffMs: opts.minBackoffMs,
      onLine(line) {
        const gpu = parseGpuLine(line, fields);
        if (gpu) rows.set(gpu.uuid, { gpu, at: Date.now() });
      },
      onState(state, error) {
        setStatus({ tool: 'nvidia-smi', state, ...(error ? { error } : {}) });
        if (state !== 'running') rows.clear(); // a gap, not the last figures frozen
      },
    });
    stream.start();
    void refreshApps();
    scheduleApps();
  }

  return {
    async start() {
      if (!stopped) return;
      stopped = false;
      await begin();
    },
    stop() {
      stopped = true;
      clearTimeout(appsTimer);
      clearTimeout(retryTimer);
      stream?.stop();
      stream = undefined;
      rows.clear();
    },
    /** GPUs heard from within the last few intervals, by index. */
    latest(): GpuSample[] {
      const fresh = Date.now() - Math.max(5000, opts.intervalMs * 5);
      const out: GpuSample[] = [];
      for (const [uuid, r] of rows) {
        if (r.at < fresh) rows.delete(uuid);
        else out.push({ ...r.gpu, processes: processes.get(uuid) ?? [] });
      }
      return out.sort((a, b) => a.index - b.index);
    },
    status: (): GpuSourceStatus => status,
    /** The fields this driver accepted (for `mlenv stats` and tests). */
    fields: () => fields.map((f) => f.names[0]!),
    get restarts() {
      return stream?.restarts ?? 0;
    },
    get pid() {
      return stream?.pid;
    },
  };
}
export type NvidiaSmiSampler = ReturnType<typeof createNvidiaSmiSampler>;
