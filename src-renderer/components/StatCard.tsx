import type { ReactNode } from 'react';

export function StatCard({ title, value, sub, testId, children }: { title: string; value: string; sub?: string; testId: string; children?: ReactNode }) {
  return (
    <section className="card stat" aria-label={title}>
      <h3>{title}</h3>
      <div className="stat-value" data-testid={testId}>
        {value}
      </div>
      {sub && <div className="stat-sub">{sub}</div>}
      {children}
    </section>
  );
}
