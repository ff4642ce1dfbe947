// The NGC API key's entry, shared by a gated repository's sign-in and Settings → Catalog: the key as
// typed and the state of storing it (storeNgcApiKey: the catalog's copy and the registry login).
import { useState, type FormEvent } from 'react';
import { errorText } from '../docker/format';
import { storeNgcApiKey } from './ngc-key';

/** Where storing (or, in Settings, removing) the key stands; `error` carries the core's sentence. */
export type NgcKeyState = { kind: 'idle' | 'saving' | 'saved' | 'removed' } | { kind: 'error'; message: string };

/**
 * The key field's value and a submit handler that stores it for `registry`; after a save succeeds the
 * field is cleared and `onStored` runs. `setState` is for other actions on the key (Settings' remove).
 */
export function useNgcKeyForm(registry: string, onStored?: () => void) {
  const [key, setKey] = useState('');
  const [state, setState] = useState<NgcKeyState>({ kind: 'idle' });
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setState({ kind: 'saving' });
    try {
      await storeNgcApiKey(key.trim(), registry);
      setKey('');
      onStored?.();
      setState({ kind: 'saved' });
    } catch (err) {
      setState({ kind: 'error', message: errorText(err) });
    }
  };
  return { key, setKey, state, setState, save };
}
