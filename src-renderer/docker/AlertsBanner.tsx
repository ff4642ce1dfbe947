import { dismiss } from '../store/connect';
import { useHealthStore } from '../store/health';

/** Container health alerts (warning and critical) until dismissed; recoveries clear their container's alert. Kept by the health store. */
export function AlertsBanner() {
  const alerts = useHealthStore((s) => s.alerts);
  if (!alerts.length) return null;
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
