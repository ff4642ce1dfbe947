import { useEffect, useState } from 'react';
import type { AdmissionDecision } from '@shared/contract';
import { api } from '../api';
import { errorText } from '../docker/format';
import { DecisionPanel } from './AdmissionPreview';

/** The decision that let the container run: the newest one about it that admitted (a launch, start, unpause or restart). */
export const admittingDecision = (list: AdmissionDecision[]): AdmissionDecision | undefined => list.find((d) => d.admitted);

/** A managed container's admission: the decision that admitted it (`admission.decisions` by container), read again when a new one is recorded. */
export function ContainerAdmission({ containerId }: { containerId: string }) {
  const [decision, setDecision] = useState<AdmissionDecision | null>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    const load = () =>
      api.call('admission.decisions', { container: containerId, limit: 20 }).then(
        (list) => live && (setDecision(admittingDecision(list) ?? null), setError(undefined)),
        (e: unknown) => live && setError(errorText(e)),
      );
    void load();
    const off = api.on('admission.decided', (d) => d.request.container?.id === containerId && void load());
    return () => {
      live = false;
      off();
    };
  }, [containerId]);
  return (
    <section className="card" data-testid="container-admission">
      <h3>Admission</h3>
      {error && <p className="inline-error">{error}</p>}
      {decision === undefined && !error && <p className="muted">Loading its admission decision…</p>}
      {decision === null && <p className="muted">No admission decision recorded for this container (started before admission control, or by Docker’s restart policy).</p>}
      {decision && (
        <>
          <p className="muted">
            Admitted {new Date(decision.at).toLocaleString()} on {decision.request.action}, asked by {decision.actor}
            {decision.reservation && decision.reservation !== 'none' ? ` · reservation ${decision.reservation}` : ''}.
          </p>
          <DecisionPanel decision={decision} testId="container-decision" preview={false} />
        </>
      )}
    </section>
  );
}
