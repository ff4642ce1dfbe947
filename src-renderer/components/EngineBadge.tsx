import { useLive } from '../store/live';

export function EngineBadge() {
  const engine = useLive((s) => s.engine);
  const state = engine?.state ?? 'connecting';
  const text =
    state === 'connected'
      ? `Docker ${engine?.version ?? ''} connected`
      : state === 'unreachable'
        ? 'Docker unreachable'
        : 'Docker: connecting…';
  const title = engine
    ? [engine.host, engine.apiVersion && `API ${engine.apiVersion}`, engine.os && `${engine.os}/${engine.arch}`, engine.runtimes?.length && `runtimes: ${engine.runtimes.join(', ')}`, engine.error]
        .filter(Boolean)
        .join('\n')
    : undefined;
  return (
    <span className={`badge engine-${state}`} data-testid="engine-badge" data-state={state} title={title}>
      <span className="dot" />
      {text}
    </span>
  );
}
