// What a pull reports at once whatever the clock: a layer's change of status (Docker's pull messages,
// as `docker pull` prints them). Byte counts within a status are the only thing the time throttles.
import { describe, expect, it } from 'vitest';
import { createPullTracker } from './images';

describe('pull tracker phases', () => {
  it('says which messages start a new phase of a layer, so none is lost to the progress throttle', () => {
    const t = createPullTracker('reg:5000/a:v1', 'local');
    const phases = [
      t.apply({ status: 'Pulling from a', id: 'v1' }),
      t.apply({ status: 'Pulling fs layer', id: 'l1' }),
      t.apply({ status: 'Pulling fs layer', id: 'l2' }),
      t.apply({ status: 'Waiting', id: 'l2' }),
      t.apply({ status: 'Downloading', id: 'l1', progressDetail: { current: 245_760, total: 24_117_248 } }),
      t.apply({ status: 'Downloading', id: 'l1', progressDetail: { current: 12_058_624, total: 24_117_248 } }),
      t.apply({ status: 'Verifying Checksum', id: 'l1' }),
      t.apply({ status: 'Download complete', id: 'l1' }),
      t.apply({ status: 'Extracting', id: 'l1', progressDetail: { current: 32_768, total: 24_117_248 } }),
      t.apply({ status: 'Extracting', id: 'l1', progressDetail: { current: 24_117_248, total: 24_117_248 } }),
      t.apply({ status: 'Pull complete', id: 'l1' }),
      t.apply({ status: 'Digest: sha256:' + 'a'.repeat(64) }),
      t.apply({ status: 'Status: Downloaded newer image for reg:5000/a:v1' }),
    ];
    expect(phases).toEqual([false, true, true, true, true, false, true, true, true, false, true, false, false]);
  });

  it('shows a layer part-way through its download at the first Downloading message', () => {
    const t = createPullTracker('reg:5000/a:v1', 'local');
    t.apply({ status: 'Pulling fs layer', id: 'l1' });
    expect(t.apply({ status: 'Downloading', id: 'l1', progressDetail: { current: 245_760, total: 24_117_248 } })).toBe(true);
    expect(t.snapshot(false).layers).toEqual([{ id: 'l1', status: 'Downloading', current: 245_760, total: 24_117_248 }]);
  });
});
