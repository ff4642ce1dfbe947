import { useEffect, useMemo, useRef, useState } from 'react';
import type { LogLine } from '@shared/contract';
import { api } from '../api';
import { errorText } from './format';

const MAX_LINES = 20_000;

/** The last lines of a container's output, optionally followed live, searchable and downloadable. */
export function LogViewer({ containerId, name }: { containerId: string; name: string }) {
  const [lines, setLines] = useState<LogLine[]>();
  const [error, setError] = useState<string>();
  const [follow, setFollow] = useState(false);
  const [query, setQuery] = useState('');
  const [ended, setEnded] = useState(false);
  const box = useRef<HTMLPreElement>(null);

  useEffect(() => {
    let cancelled = false;
    setLines(undefined);
    api.call('logs.tail', { id: containerId, tail: 500 }).then(
      (l) => !cancelled && setLines(l),
      (e: unknown) => !cancelled && setError(errorText(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [containerId]);

  useEffect(() => {
    if (!follow) return;
    let followId: string | undefined;
    let stopped = false;
    setEnded(false);
    const off = api.on('logs.lines', (p) => {
      if (p.followId !== followId) return;
      if (p.lines.length) setLines((prev) => [...(prev ?? []), ...p.lines].slice(-MAX_LINES));
      if (p.ended) setEnded(true);
    });
    // tail 0: the lines already shown are not sent again.
    api.call('logs.follow', { id: containerId, tail: 0 }).then(
      (r) => {
        followId = r.followId;
        if (stopped) void api.call('logs.unfollow', { followId });
      },
      (e: unknown) => setError(errorText(e)),
    );
    return () => {
      stopped = true;
      off();
      if (followId) void api.call('logs.unfollow', { followId });
    };
  }, [follow, containerId]);

  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return q ? (lines ?? []).filter((l) => l.text.toLowerCase().includes(q)) : (lines ?? []);
  }, [lines, query]);

  useEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [shown, follow]);

  const download = () => {
    const text = (lines ?? []).map((l) => `${l.ts ? new Date(l.ts).toISOString() : ''} ${l.stream} ${l.text}`).join('\n');
    const url = URL.createObjectURL(new Blob([text + '\n'], { type: 'text/plain' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${name}-logs.txt`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <section className="card logs" data-testid="logs">
      <div className="toolbar">
        <h3>Logs</h3>
        <label>
          <input type="checkbox" data-testid="logs-follow" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow
        </label>
        <input className="search" type="search" placeholder="Search the loaded lines" value={query} onChange={(e) => setQuery(e.target.value)} data-testid="logs-search" />
        <span className="muted">
          {lines ? `${shown.length}${query ? ` of ${lines.length}` : ''} lines` : ''}
          {ended && ' · the container stopped'}
        </span>
        <button onClick={download} disabled={!lines?.length} data-testid="logs-download">
          Download
        </button>
      </div>
      {error && (
        <p className="inline-error" role="alert">
          Cannot read the logs: {error}
        </p>
      )}
      {!lines && !error && <p className="muted">Loading logs…</p>}
      {lines && lines.length === 0 && <p className="empty">No output yet.</p>}
      {shown.length > 0 && (
        <pre className="log-lines" ref={box} data-testid="log-lines">
          {shown.map((l, i) => (
            <div key={i} className={l.stream === 'stderr' ? 'stderr' : undefined}>
              <span className="ts">{l.ts ? new Date(l.ts).toLocaleTimeString() : ''}</span> {l.text}
            </div>
          ))}
        </pre>
      )}
    </section>
  );
}
