// A sampler tick that fails is told (journaled), once per distinct failure rather than once a
// tick, and sampling goes on; before, the failure was dropped without a word.
import { describe, expect, it } from 'vitest';
import { tmpDataDir, waitFor } from '../../test-support';
import { createBus } from '../bus';
import { BACKGROUND_FAILED } from '../fire-and-forget';
import { openDatabase } from '../store/db';
import { createEventLog } from '../store/events';
import { createSampler } from './index';
import type { createHostSampler } from './host';

type Host = ReturnType<typeof createHostSampler>;

describe('sampler tick failures', () => {
  it('journals a failing tick once per distinct failure and keeps sampling', async () => {
    const db = openDatabase(tmpDataDir());
    const events = createEventLog(db);
    let calls = 0;
    const host = {
      sample: async () => {
        calls++;
        if (calls === 1) return {} as never; // start() primes the counters
        throw new Error(calls < 6 ? 'cannot read /proc/stat: EACCES' : 'cannot read /proc/meminfo: EIO');
      },
    } as unknown as Host;
    const sampler = createSampler({ bus: createBus(), intervalMs: 20, liveWindowSeconds: 60, host, journal: events });
    await sampler.start();
    await waitFor(() => calls >= 9, 10_000, 'eight failing ticks');
    sampler.stop();
    const rows = events.recent().filter((e) => e.type === BACKGROUND_FAILED);
    expect(rows.map((r) => r.error).reverse()).toEqual(['metrics sample: cannot read /proc/stat: EACCES', 'metrics sample: cannot read /proc/meminfo: EIO']);
    db.close();
  });
});
