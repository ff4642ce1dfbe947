import type { HostSample } from '@shared/contract';
import { formatBytes, formatPercent } from '@shared/units';
import { formatValue } from '../metrics/format';

/** The host's filesystems (used / free, as df counts them) and the disks' read and write rates. */
export function DisksCard({ disks, io }: { disks: HostSample['disks']; io: HostSample['diskIo'] }) {
  return (
    <section className="card" aria-label="Disks" data-testid="disks">
      <h3>Disks</h3>
      <p className="stat-sub" data-testid="disk-io">
        {io ? `read ${formatValue(io.readBytesPerSec, 'B/s')} · write ${formatValue(io.writeBytesPerSec, 'B/s')}` : 'read / write rates after the next sample'}
      </p>
      {!disks?.length && <p className="muted">No filesystems reported.</p>}
      {disks?.map((d) => (
        <div key={d.mount} className="disk" data-testid="disk" title={`${d.device} (${d.fsType})`}>
          <div className="toolbar">
            <span className="mono">{d.mount}</span>
            <span className="spacer" />
            <span className="muted">
              {formatBytes(d.used)} used · {formatBytes(d.free)} free · {formatPercent(d.percent, 0)}
            </span>
          </div>
          <div className="progress" aria-hidden="true">
            <div className="progress-fill" style={{ width: `${Math.min(100, d.percent)}%` }} />
          </div>
        </div>
      ))}
    </section>
  );
}
