// The GPUs of one `nvidia-smi --query-gpu=… --format=csv,noheader -lms N` stream, read round by round,
// so that a GPU that stops reporting is news (lost, with nvidia-smi's words), never frozen figures or a
// silent disappearance.
//
// Rounds. Each -lms tick nvidia-smi prints the lines about GPUs it cannot reach ("Unable to determine the
// device handle for GPU1: 0000:34:00.0: Unknown Error"), then one row per GPU it can, in index order.
// There is no delimiter, so a new round is known to have begun, deterministically, when
//   - a row's index is not above the previous row's (the index sequence restarts), or a GPU reports twice;
//   - a header line comes (a stream with headers prints one per round);
//   - a message repeats one already read in this round (a loop that prints only errors), or a stdout
//     message names a GPU whose row this round already has (its line comes before the rows).
// A stderr line never ends a round: it interleaves with stdout at arbitrary points.
// When a round ends, every GPU seen before and absent from it is lost; a GPU whose index a row skips is
// lost at that row (rows come in index order). A message naming a GPU (by index or bus id) marks it lost
// at once, since nvidia-smi prints it instead of that GPU's row; a row for that GPU in the same round
// wins. Lost GPUs keep their identity until they report again. Faults are told (onFault) when a round
// ends, so once per change, never at every line.
import type { GpuFault, GpuSample } from '@shared/contract';
import { reportFailure } from '../../fire-and-forget';
import { toolLine } from '../tool-line';
import { blankGpu, isHeader, normalizeBusId, parseGpuLine, parseGpuMessage, withoutFigures, type GpuField } from './nvidia-csv';

export interface NvidiaRoundsOptions {
  fields: GpuField[];
  /** A stream quiet this long (ms) leaves no GPU with figures: each is lost, with its last message naming no GPU, if any. */
  staleMs: number;
  /** Told when a GPU's fault starts, changes or clears (null), once per change, when a round ends. */
  onFault?: (gpu: GpuSample, fault: GpuFault | null) => void;
}

interface Entry {
  gpu: GpuSample;
  /** The stream run that last reported or named it (restarts bump it). */
  run: number;
  /** The fault last told to onFault. */
  told: GpuFault | null;
}

interface Round {
  /** GPUs with a row in this round, and GPUs a message named. */
  rows: Set<string>;
  named: Set<string>;
  messages: Set<string>;
  lastIndex: number;
  /** The last message naming no GPU: the reason given to GPUs missing from the round. */
  untied: string | null;
  untiedAfterRows: boolean;
}

const NOT_REPORTED = 'nvidia-smi no longer reports this GPU';
/** Bounds on what a tool printing endless distinct lines can make us keep. */
const MAX_GPUS = 64;
const MAX_MESSAGES = 256;
const sameFault = (a: GpuFault | null, b: GpuFault | null) => a?.kind === b?.kind && a?.message === b?.message;
const newRound = (untied: string | null = null): Round => ({ rows: new Set(), named: new Set(), messages: new Set(), lastIndex: -1, untied, untiedAfterRows: false });

export function createNvidiaRounds(opts: NvidiaRoundsOptions) {
  /** Keyed by uuid; a GPU known only from a message by `index:<n>` or `bus:<id>` (a placeholder). */
  const gpus = new Map<string, Entry>();
  let run = 0;
  let round = newRound();
  let lastMessage: string | null = null;
  let lastLineAt: number | null = null;

  const find = (pred: (e: Entry) => boolean) => [...gpus.entries()].find(([, e]) => pred(e));

  function tell(key: string) {
    const e = gpus.get(key);
    if (!e || sameFault(e.told, e.gpu.fault)) return;
    e.told = e.gpu.fault;
    // Called from the stream's data handler: a failing listener must not end the process.
    try {
      opts.onFault?.(e.gpu, e.gpu.fault);
    } catch (err) {
      reportFailure(err, 'journaling a GPU fault');
    }
  }

  const lose = (e: Entry, message: string) => (e.gpu = withoutFigures(e.gpu, { kind: 'lost', message }));

  function endRound() {
    for (const [key, e] of gpus) {
      if (round.rows.has(key) || round.named.has(key)) continue;
      // Lost already, in nvidia-smi's own words: a round that says nothing more keeps them.
      if (e.gpu.fault?.kind !== 'lost') lose(e, round.untied ?? NOT_REPORTED);
    }
    for (const key of gpus.keys()) tell(key);
    // A message after this round's rows opened the next round.
    round = newRound(round.untiedAfterRows ? round.untied : null);
  }

  function row(gpu: GpuSample) {
    const byIndex = () => find((e) => !!e.gpu.uuid && e.gpu.index === gpu.index)?.[1];
    const known = gpu.uuid ? gpus.get(gpu.uuid) : byIndex();
    const key = gpu.uuid || known?.gpu.uuid || `index:${gpu.index}`;
    if (round.rows.size && (gpu.index <= round.lastIndex || round.rows.has(key))) endRound();
    // Rows come in index order: a GPU of this run whose index was skipped is missing from this round now.
    for (const [k, e] of gpus) {
      const skipped = e.gpu.index > round.lastIndex && e.gpu.index < gpu.index;
      if (skipped && !round.named.has(k) && e.gpu.fault?.kind !== 'lost') lose(e, round.untied ?? NOT_REPORTED);
    }
    let told = gpus.get(key)?.told ?? null;
    // A GPU first named only by a message: its row replaces the placeholder (and will tell its recovery).
    const bus = gpu.busId && normalizeBusId(gpu.busId);
    for (const [k, e] of gpus) {
      if (k === key || e.gpu.uuid || !(e.gpu.index === gpu.index || (bus && normalizeBusId(e.gpu.busId ?? '') === bus))) continue;
      told ??= e.told;
      gpus.delete(k);
    }
    const id = known?.gpu;
    const merged = id && !gpu.uuid ? { ...gpu, uuid: id.uuid, name: id.name, busId: gpu.busId ?? id.busId, driverVersion: gpu.driverVersion ?? id.driverVersion } : gpu;
    gpus.set(key, { gpu: merged, run, told });
    round.rows.add(key);
    round.lastIndex = gpu.index;
  }

  function message(text: string, inOrder: boolean) {
    if (inOrder && round.messages.has(text)) endRound();
    if (round.messages.size >= MAX_MESSAGES) round.messages.clear();
    round.messages.add(text);
    lastMessage = text;
    const ref = parseGpuMessage(text);
    const unknownGpu = !find((e) => (!!ref.busId && !!e.gpu.busId && normalizeBusId(e.gpu.busId) === ref.busId) || e.gpu.index === ref.index);
    if ((ref.index === null && ref.busId === null) || (unknownGpu && gpus.size >= MAX_GPUS)) {
      round.untied = text;
      round.untiedAfterRows = round.rows.size > 0;
      return;
    }
    // The bus id is the surer name; the index is the one nvidia-smi printed next to it.
    const hit =
      (ref.busId && find((e) => !!e.gpu.busId && normalizeBusId(e.gpu.busId) === ref.busId)) ||
      (ref.index !== null && find((e) => e.gpu.index === ref.index));
    const key = hit ? hit[0] : ref.busId ? `bus:${ref.busId}` : `index:${ref.index}`;
    // nvidia-smi prints a GPU's line before the rows: on stdout, a line about a GPU that has its row in
    // this round opens the next round (on stderr the order is unknown: the row stands, below).
    if (inOrder && round.rows.has(key)) endRound();
    if (!gpus.has(key)) {
      const index = ref.index ?? -1;
      gpus.set(key, { gpu: blankGpu({ index, uuid: '', name: ref.index !== null ? `GPU ${index}` : `GPU ${ref.busId}`, busId: ref.busId }), run, told: null });
    }
    // The GPU answered in this round: its row stands.
    if (round.rows.has(key)) return;
    round.named.add(key);
    const e = gpus.get(key)!;
    lose(e, text);
    e.run = run;
  }

  return {
    /**
     * One line of the stream at `now` (ms). stdout lines are in nvidia-smi's order; stderr lines
     * (`fromStderr`) may land anywhere in a round, so they never end one. True when it was a row.
     */
    line(text: string, now: number, fromStderr = false): boolean {
      const t = text.trim();
      if (!t) return false;
      lastLineAt = now;
      if (!fromStderr && isHeader(t) && t.split(', ').length === opts.fields.length) {
        if (round.rows.size) endRound();
        return false;
      }
      const gpu = fromStderr ? undefined : parseGpuLine(t, opts.fields);
      if (gpu) row(gpu);
      else message(toolLine(t), !fromStderr); // shown and journaled: one plain line
      return !!gpu;
    },

    /**
     * The stream ended (nvidia-smi died or is relaunched): the round in progress is not judged (the
     * outage is the source's news), figures are dropped, and GPUs wait for the next run's first round.
     */
    restart() {
      for (const e of gpus.values()) if (!e.gpu.fault) e.gpu = withoutFigures(e.gpu, null);
      round = newRound();
      lastMessage = null;
      lastLineAt = null;
      run++;
    },

    /**
     * Every GPU of this run, and every GPU seen before that is faulted or lost, by index: a row's
     * figures, or identity + fault + null figures. A stream quiet for staleMs turns each GPU lost.
     */
    gpus(now: number): GpuSample[] {
      if (lastLineAt !== null && now - lastLineAt > opts.staleMs) {
        // Its last words about no GPU in particular ("Failed to initialize NVML…"), else how long it has been quiet.
        const why = round.untied ?? `nvidia-smi has printed nothing for ${Math.round((now - lastLineAt) / 1000)} s`;
        for (const [key, e] of gpus) {
          if (e.run !== run || e.gpu.fault?.kind === 'lost') continue;
          lose(e, why);
          tell(key);
        }
      }
      return [...gpus.values()]
        .filter((e) => e.run === run || e.gpu.fault)
        .map((e) => e.gpu)
        .sort((a, b) => a.index - b.index || (a.busId ?? '').localeCompare(b.busId ?? ''));
    },

    /** The last line that was not a row (stdout or stderr) since the stream (re)started. */
    get lastMessage() {
      return lastMessage;
    },
  };
}
export type NvidiaRounds = ReturnType<typeof createNvidiaRounds>;
