import { useEffect, useState } from 'react';
import type { Alert } from '@shared/contract';
import { api } from '../api';

/** Container health alerts (warning and critical) until dismissed; recoveries clear their container's alert. */
export function AlertsBanner() {
  const [alerts, setAlerts] = useState<Alert[]>([]);
  useEffect(() => {
    const keep = (list: Alert[]) => {
      // Only the newest alert per container counts, and only while it is bad.
      const newest = new Map<string, Alert>();
      for (const a of list) if (!newest.has(a.containerId) || newest.get(a.containerId)!.ts < a.ts) newest.set(a.containerId, a);
      return [...newest.values()].filter((a) => a.level !== 'info').sort((a, b) => b.ts - a.ts);
    };
    api.call('alerts.list', {}).then((l) => setAlerts(keep(l)), () => undefined);
    return api.on('alerts.raised', (a) => setAlerts((prev) => keep([a, ...prev])));
  }, []);
  if (!alerts.length) return null;
  const dismiss = (id: number) => {
    setAlerts((prev) => prev.filter((a) => a.id !== id));
    void api.call('alerts.dismiss', { id }).catch(() => undefined);
  };
  return (
    <div className="alerts" data-testid="alerts-banner">
      {alerts.map((a) => (
        <div key={a.id} className={`banner ${a.level === 'critical' ? 'error' : 'warning'}`} role="alert" data-testid="alert">
          <a href={`#/containers/${a.containerId}`}>{a.container}</a>: {a.message.replace(`${a.container} is `, '')}
          <button className="dismiss" onClick={() => dismiss(a.id)} aria-label="Dismiss">
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
