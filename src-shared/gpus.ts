// GPU strings → HostConfig.DeviceRequests exactly as the docker CLI builds them (docker/cli opts/gpus.go):
// "all" → Count -1; "2" → Count 2; "0,1" / "device=0,1" / "GPU-…" → DeviceIDs with Count 0.
import { UnitError } from './units';

export interface DeviceRequest {
  Driver: string;
  Count: number;
  DeviceIDs: string[] | null;
  Capabilities: string[][];
  Options: Record<string, string>;
}

const DEVICE_ID = /^(?:\d+|GPU-[0-9a-fA-F-]{8,}|MIG-[0-9a-zA-Z/-]+)$/;

/** "" or "none" → no request (null); otherwise one request as the CLI sends it. */
export function parseGpus(text: string): DeviceRequest | null {
  const t = text.trim();
  if (t === '' || t === 'none') return null;
  const base = { Driver: '', Capabilities: [['gpu']], Options: {} };
  if (t === 'all') return { ...base, Count: -1, DeviceIDs: null };
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    if (n < 1 || n > 64) throw new UnitError(`"${text}" is not a GPU count: use 1 to 64, "all", or device ids such as 0,1`);
    return { ...base, Count: n, DeviceIDs: null };
  }
  const ids = t
    .replace(/^device=/, '')
    .split(',')
    .map((s) => s.trim());
  if (ids.length === 0 || ids.some((id) => !DEVICE_ID.test(id)) || new Set(ids).size !== ids.length) {
    throw new UnitError(
      `"${text}" is not a GPU selection: use "all", a count such as 2, or distinct device indexes or UUIDs separated by commas, such as 0,1 or GPU-3f2a…`,
    );
  }
  return { ...base, Count: 0, DeviceIDs: ids };
}
