import { useRef, useState } from 'react';
import { MAX_CATALOG_IMPORT_CHARS } from '@shared/contract';
import { api } from '../api';
import { errorText } from '../docker/format';
import { download } from '../metrics/format';

type Outcome = { kind: 'ok'; text: string } | { kind: 'error'; text: string };

/** Export the whole catalog as a JSON file, and import one (refused whole, with its one sentence, when it is not a catalog file). */
export function CatalogTransfer({ now = () => Date.now() }: { now?: () => number }) {
  const input = useRef<HTMLInputElement>(null);
  const [outcome, setOutcome] = useState<Outcome>();
  const exportAll = async () => {
    try {
      const doc = await api.call('catalog.export', {});
      download(`mlenv-catalog-${new Date(now()).toISOString().slice(0, 10)}.json`, JSON.stringify(doc, null, 2), 'application/json');
      setOutcome({ kind: 'ok', text: `Exported ${doc.images.length} images.` });
    } catch (e) {
      setOutcome({ kind: 'error', text: errorText(e) });
    }
  };
  const importFile = async (file: File | undefined) => {
    if (!file) return;
    try {
      if (file.size > MAX_CATALOG_IMPORT_CHARS) throw new Error(`${file.name} is ${file.size} bytes; a catalog file may be at most ${MAX_CATALOG_IMPORT_CHARS}.`);
      const r = await api.call('catalog.import', { json: await file.text(), mode: 'merge' });
      setOutcome({ kind: 'ok', text: `Imported ${r.imported} images from ${file.name}.` });
    } catch (e) {
      setOutcome({ kind: 'error', text: errorText(e) });
    } finally {
      if (input.current) input.current.value = ''; // the same file again is a new choice
    }
  };
  return (
    <div className="toolbar" data-testid="catalog-transfer">
      <button type="button" onClick={() => void exportAll()} data-testid="catalog-export">
        Export catalog
      </button>
      <label className="button-like">
        Import catalog…
        <input ref={input} type="file" accept="application/json,.json" hidden onChange={(e) => void importFile(e.target.files?.[0])} data-testid="catalog-import" />
      </label>
      {outcome && (
        <span className={outcome.kind === 'error' ? 'inline-error' : 'muted'} role={outcome.kind === 'error' ? 'alert' : 'status'} data-testid="catalog-transfer-outcome">
          {outcome.text}
        </span>
      )}
    </div>
  );
}
