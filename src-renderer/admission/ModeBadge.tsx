import { useAdmissionStore } from '../store/admission';
import { MODE_TEXT } from './decision';

const MODE_CLASS = { enforce: 'status-ok', dry_run: 'status-warning', audit: 'status-warning' } as const;
const MODE_TITLE = {
  enforce: 'Admission control refuses any launch, start or unpause that would overload the machine.',
  dry_run: 'Dry run: every launch is decided and recorded, nothing is refused or reserved.',
  audit: 'Audit: launches that break the policy are admitted and recorded as violations.',
} as const;

/** The admission policy's mode, always in the header; a link to the Admission page (the mode is changed in Settings). */
export function ModeBadge() {
  const mode = useAdmissionStore((s) => s.policy?.mode);
  if (!mode) return null;
  return (
    <a href="#/admission" className={`badge ${MODE_CLASS[mode]}`} data-testid="admission-mode" data-mode={mode} title={`${MODE_TITLE[mode]} Change it in Settings → Admission control.`}>
      <span className="dot" />
      admission: {MODE_TEXT[mode]}
    </a>
  );
}
