import type { HostSample } from '@shared/contract';
import { formatValue } from '../metrics/format';
import { networkTotals } from './summary';

/** Received and sent per second, in total and per interface (loopback and container veths left out). */
export function NetworkCard({ network }: { network: HostSample['network'] }) {
  const total = networkTotals(network);
  return (
    <section className="card" aria-label="Network" data-testid="network">
      <h3>Network</h3>
      <div className="stat-value" data-testid="network-total">
        {total ? `↓ ${formatValue(total.rxBytesPerSec, 'B/s')} ↑ ${formatValue(total.txBytesPerSec, 'B/s')}` : '—'}
      </div>
      {network?.length === 0 && <p className="muted">No network interface besides loopback.</p>}
      {!!network?.length && (
        <table className="table compact">
          <tbody>
            {network.map((n) => (
              <tr key={n.iface} data-testid="network-iface">
                <td className="mono">{n.iface}</td>
                <td>↓ {formatValue(n.rxBytesPerSec, 'B/s')}</td>
                <td>↑ {formatValue(n.txBytesPerSec, 'B/s')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
