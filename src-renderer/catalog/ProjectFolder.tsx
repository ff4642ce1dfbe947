import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api';
import { FormActions } from '../components/FormActions';
import { errorText } from '../docker/format';
import { useLive } from '../store/live';

const folderName = (dir: string) => dir.split(/[\\/]/).filter(Boolean).at(-1) ?? dir;

/** The project folder every one-click launch mounts at /workspace/<folder name>, picked once (Settings' launch.projectDir). */
export function ProjectFolder({ onSaved }: { onSaved?: () => void }) {
  const saved = useLive((s) => s.settings?.launch.projectDir ?? null);
  const [dir, setDir] = useState(saved ?? '');
  const [error, setError] = useState<string>();
  useEffect(() => setDir(saved ?? ''), [saved]);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      await api.call('settings.update', { patch: { launch: { projectDir: dir.trim() || null } } });
      onSaved?.();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <form className="project-folder" onSubmit={(e) => void save(e)} data-testid="project-folder">
      <label className="field">
        <span>
          Project folder{' '}
          {saved ? (
            <>
              — mounted at <span className="mono">/workspace/{folderName(saved)}</span>
            </>
          ) : (
            '— none: launches mount no folder'
          )}
        </span>
        <div className="toolbar">
          <input className="mono" value={dir} placeholder="/home/me/work" maxLength={4096} onChange={(e) => setDir(e.target.value)} aria-label="Project folder" />
          <FormActions label="Save" disabled={(dir.trim() || null) === saved} error={error} />
        </div>
      </label>
    </form>
  );
}
