// admission.*: the launch form's preview, the decisions, the policy and project quotas, the audit
// (core/admission). The caller's connection says who acts (CallContext.actor), as on the gate.
import type { admissionRequests } from '@shared/contract/admission';
import type { Admission } from '../core/admission/service';
import type { DomainHandlers } from './domain';

export function admissionHandlers(s: { admission: Admission }): DomainHandlers<typeof admissionRequests> {
  const { admission } = s;
  return {
    'admission.check': (input, ctx) => admission.check(input, ctx.actor),
    'admission.decisions': (q) => admission.decisions(q),
    'admission.policy': () => admission.policy(),
    'admission.setPolicy': ({ patch }, ctx) => admission.setPolicy(patch, ctx.actor),
    'admission.quotas': () => admission.quotas(),
    'admission.setQuota': (input, ctx) => admission.setQuota(input, ctx.actor),
    'admission.removeQuota': ({ project }, ctx) => admission.removeQuota(project, ctx.actor),
    'admission.audit': ({ refresh }) => admission.audit(refresh),
  };
}
