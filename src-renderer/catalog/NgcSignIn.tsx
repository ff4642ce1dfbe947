import { FormActions } from '../components/FormActions';
import { useCatalogStore } from '../store/catalog';
import { useLive } from '../store/live';
import { useNgcKeyForm } from './useNgcKeyForm';

/**
 * A gated repository: says "NGC sign-in required" and where the key goes. The one NGC API key serves
 * both the catalog (tag lists) and the registry login Docker pulls with (user $oauthtoken, as NGC
 * documents); it is kept like registry secrets (OS keychain in the desktop app), never shown again.
 */
export function NgcSignIn() {
  const apiKeySet = useCatalogStore((s) => s.status?.apiKeySet);
  const registry = useLive((s) => s.settings?.catalog.registry ?? 'nvcr.io');
  const { key, setKey, state, save } = useNgcKeyForm(registry);
  return (
    <form className="banner warning inline ngc-sign-in" role="note" onSubmit={(e) => void save(e)} data-testid="ngc-sign-in">
      <p>
        <strong>NGC sign-in required.</strong> This repository is gated: pulling it needs your NGC API key (nvapi-…, from ngc.nvidia.com → Setup → API Key).{' '}
        {apiKeySet ? 'A key is stored; if pulls are still refused, store a new one.' : `Paste it here: it is stored for the catalog and as the ${registry} login (user $oauthtoken) under Settings → Registry credentials.`}
      </p>
      <div className="toolbar">
        <input type="password" autoComplete="off" aria-label="NGC API key" placeholder="nvapi-…" value={key} maxLength={8192} onChange={(e) => setKey(e.target.value)} />
        <FormActions label={state.kind === 'saving' ? 'Saving…' : 'Save key'} disabled={!key.trim() || state.kind === 'saving'} note={state.kind === 'saved' && <span className="muted">Saved.</span>} error={state.kind === 'error' ? state.message : undefined} />
      </div>
    </form>
  );
}
