// Stopping the metrics service and closing the database must leave nothing behind that writes to it:
// neither a pending timer nor a retention sweep still yielding between its slices.
import { describe, expect, it } from 'vitest';
import { createBus } from '../bus';
import { openDatabase } from '../store/db';
import { createEventLog } from '../store/events';
import { createMetricsRepository } from '../store/metrics';
import { DEFAULT_SETTINGS } from '@shared/contract';
import { tmpDataDir } from '../../test-support';
import { createMetricsService } from './service';

const setup = () => {
  const db = openDatabase(tmpDataDir());
  const svc = createMetricsService({ repository: createMetricsRepository(db), bus: createBus(), events: createEventLog(db), retention: () => DEFAULT_SETTINGS.metrics, cleanupEveryMs: 5, firstCleanupMs: 5, flushMs: 5 });
  return { db, svc };
};

describe('metrics service shutdown', () => {
  it('cancels its timers: nothing fires into a closed database', async () => {
    const { db, svc } = setup();
    svc.start();
    svc.stop();
    db.close();
    await new Promise((r) => setTimeout(r, 60)); // an unhandled error here fails the run
    expect(db.open).toBe(false);
  });

  it('a sweep in flight when the service stops ends quietly', async () => {
    const { db, svc } = setup();
    svc.start();
    const inFlight = svc.cleanup();
    svc.stop();
    db.close();
    await expect(inFlight).resolves.toBeUndefined();
  });
});
