// `--gpus` values → HostConfig.DeviceRequests, read as the docker CLI reads them (docker/cli opts/gpus.go,
// GpuOpts.Set) so that a value copied from Docker's or NVIDIA's documentation means here what it means there.
// Node gets csv-parse's Node build; vite.config.ts gives the renderer the package's browser build of it.
import { parse as parseCsv } from 'csv-parse/sync';
import { UnitError } from './units';

/** One entry of HostConfig.DeviceRequests (Engine API), fields in the order the CLI sends them. */
export interface DeviceRequest {
  Driver: string;
  /** -1 = all GPUs; 0 when DeviceIDs name the GPUs. */
  Count: number;
  /** GPU indexes, GPU-… UUIDs, MIG "gpu:instance" pairs or MIG-… UUIDs; null when Count chooses. */
  DeviceIDs: string[] | null;
  /** One set of driver capabilities; "gpu" is always its last member, as the CLI appends it. */
  Capabilities: string[][];
  Options: Record<string, string>;
}

export const MAX_GPU_COUNT = 64;
export const MAX_GPUS_VALUE = 1024;
// An index, a MIG device as "GPU index:MIG instance index", a GPU UUID, or a MIG UUID (both the current
// MIG-<uuid> form and the older MIG-GPU-<uuid>/<gi>/<ci>), as nvidia-smi -L prints them.
const DEVICE_ID = /^(?:\d{1,3}|\d{1,3}:\d{1,3}|GPU-[0-9a-fA-F-]{8,64}|MIG-[0-9a-zA-Z/-]{8,96})$/;
const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$/;
const KEYS = ['count', 'device', 'capabilities', 'driver', 'options'] as const;
const ACCEPTED = `use "all", a count such as 2, or "device=0,1" (with the quotes) / device=GPU-…, optionally with driver=, "capabilities=compute,utility" and "options=k=v,…"`;

/** One CSV record as Go's encoding/csv reads it (RFC 4180 quotes, no trimming): throws the reason in words. */
function csvRecord(text: string): string[] {
  let records: string[][];
  try {
    records = parseCsv(text, { relax_column_count: true });
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new Error(
      code === 'CSV_QUOTE_NOT_CLOSED'
        ? 'a " is not closed'
        : code === 'CSV_INVALID_CLOSING_QUOTE'
          ? 'a closing " must be followed by a comma or the end'
          : code === 'INVALID_OPENING_QUOTE'
            ? 'a " may only open a field, right after a comma or at the start'
            : 'it is not one CSV record',
    );
  }
  if (records.length !== 1) throw new Error('it must be one line');
  return records[0]!;
}

function count(value: string, fail: (why: string) => never): number {
  if (value === 'all' || value === '-1') return -1;
  if (!/^\d+$/.test(value)) fail(`count ${JSON.stringify(value)} must be "all" or a whole number`);
  const n = Number(value);
  // Docker sends 0 as it is (no GPU at all); a launch that asks for none leaves the field empty instead.
  if (n < 1 || n > MAX_GPU_COUNT) fail(`${value} is not a GPU count: use 1 to ${MAX_GPU_COUNT}, "all", or device=0 for GPU 0 alone`);
  return n;
}

/**
 * A `--gpus` value → one DeviceRequest exactly as `docker run --gpus VALUE` sends it; "" or "none" → null
 * (no request). The value is the argument after the shell removed its own quoting: `"device=1,2"` for
 * the documented `--gpus '"device=1,2"'`.
 *
 * Grammar (docker/cli opts/gpus.go): ONE CSV record (Go encoding/csv: fields separated by commas, a field
 * may be double-quoted to hold commas, "" inside quotes is one "). Each field is `key=value` with key
 * count (all or a number), device (comma-separated ids), capabilities (comma-separated; "gpu" is
 * appended), driver, options (itself one CSV record of k=v); a field without "=" is the count. Each key at
 * most once. Without count or device the CLI asks for 1 GPU. Options go out with keys sorted, as Go
 * encodes a map.
 *
 * Where this differs from the CLI, it is to refuse or to read a value the CLI would send wrong:
 * - several bare ids (`0,1`) or bare ids after device= (`device=0,1` unquoted) are device ids: the CLI would
 *   send Count 1 for `0,1` and DeviceIDs ["0"] with Count 1 for unquoted `device=0,1`, which the engine refuses;
 * - a lone bare GPU-…, MIG-… or N:M is a device (the CLI would refuse it as a count);
 * - count and device together are refused here (the engine refuses them: "cannot set both Count and DeviceIDs");
 * - counts are 1–64 or all/-1; ids are GPU indexes, MIG pairs N:M, GPU-… or MIG-… UUIDs, each once;
 *   driver and capability names are letters, digits, _ . -; the value is at most 1024 characters.
 * @throws UnitError naming the value and what is accepted.
 */
export function parseGpus(text: string): DeviceRequest | null {
  const t = text.trim();
  if (t === '' || t === 'none') return null;
  const fail = (why: string): never => {
    const shell = /^'.*'$/s.test(t) ? ` (the outer '…' are shell quoting: type only what is inside them)` : '';
    throw new UnitError(`"${text.length > 200 ? `${text.slice(0, 200)}…` : text}" is not a GPU selection: ${why}${shell}; ${ACCEPTED}`);
  };
  if (t.length > MAX_GPUS_VALUE) fail(`it is longer than ${MAX_GPUS_VALUE} characters`);
  let fields: string[];
  try {
    fields = csvRecord(t);
  } catch (e) {
    return fail((e as Error).message);
  }

  const seen = new Set<string>();
  const bare: string[] = [];
  let countValue: string | undefined;
  let devices: string[] | undefined;
  let driver = '';
  let capabilities: string[] | undefined;
  let options: Map<string, string> | undefined;
  for (const field of fields) {
    if (field === '') fail('a field is empty (two commas in a row, or one at an end)');
    const eq = field.indexOf('=');
    if (eq < 0) {
      bare.push(field);
      continue;
    }
    const key = field.slice(0, eq);
    const value = field.slice(eq + 1);
    if (!(KEYS as readonly string[]).includes(key)) fail(`unexpected key ${JSON.stringify(key)} (the keys are ${KEYS.join(', ')})`);
    if (seen.has(key)) fail(`the key ${key} is given twice`);
    seen.add(key);
    if (key === 'count') countValue = value;
    else if (key === 'device') devices = value.split(',');
    else if (key === 'driver') {
      if (value !== '' && !NAME.test(value)) fail(`driver ${JSON.stringify(value)} is not a driver name such as nvidia`);
      driver = value;
    } else if (key === 'capabilities') {
      capabilities = value.split(',');
      const bad = capabilities.find((c) => !NAME.test(c));
      if (bad !== undefined) fail(`capability ${JSON.stringify(bad)} is not a name such as compute or utility`);
    } else {
      let pairs: string[];
      try {
        pairs = value === '' ? [] : csvRecord(value);
      } catch (e) {
        return fail(`its options: ${(e as Error).message}`);
      }
      if (pairs.length === 0) fail('options= is empty');
      options = new Map();
      for (const kv of pairs) {
        const i = kv.indexOf('=');
        const k = i < 0 ? kv : kv.slice(0, i);
        if (!k) fail(`option ${JSON.stringify(kv)} has no name`);
        options.set(k, i < 0 ? '' : kv.slice(i + 1));
      }
    }
  }

  // A lone bare field is the count, as in the CLI, unless it can only be a device (GPU-…, MIG-…, 0:1);
  // several bare fields, or any next to device=, are device ids (the CLI would read them as counts).
  const loneCount = bare.length === 1 && devices === undefined && !(DEVICE_ID.test(bare[0]!) && !/^\d+$/.test(bare[0]!));
  if (loneCount) {
    if (countValue !== undefined) fail('the count is given twice');
    countValue = bare[0]!;
  } else if (bare.length > 0) {
    const stray = bare.find((b) => !DEVICE_ID.test(b) && b !== 'all' && b !== '-1');
    if (stray !== undefined) {
      fail(`${JSON.stringify(stray)} is neither a count nor a device id (a value that holds commas needs its whole field in double quotes, as in "capabilities=compute,utility")`);
    }
    if (bare.some((b) => b === 'all' || b === '-1')) fail('give either a count or devices, not both (the engine refuses both)');
    devices = [...(devices ?? []), ...bare];
  }
  if (devices !== undefined) {
    if (countValue !== undefined) fail('give either a count or devices, not both (the engine refuses both)');
    const badId = devices.find((id) => !DEVICE_ID.test(id));
    if (badId !== undefined) fail(`${JSON.stringify(badId)} is not a GPU index, MIG pair such as 0:1, or GPU-/MIG- UUID`);
    if (new Set(devices).size !== devices.length) fail('each device must be distinct');
    if (devices.length > MAX_GPU_COUNT) fail(`more than ${MAX_GPU_COUNT} devices`);
  }

  return {
    Driver: driver,
    Count: devices !== undefined ? 0 : countValue !== undefined ? count(countValue, fail) : 1,
    DeviceIDs: devices ?? null,
    Capabilities: [[...(capabilities ?? []), 'gpu']],
    Options: Object.fromEntries([...(options ?? [])].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
}
