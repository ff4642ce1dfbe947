import type { Architecture, CatalogHit } from '@shared/contract';
import { archRefusal, imageHref, sizeText } from './format';
import { LaunchControls } from './LaunchControls';

/** One image in the results: what it is, its newest tag and size, and Launch / Customise…. */
export function CatalogCard({ hit, host }: { hit: CatalogHit; host: Architecture | undefined }) {
  const refusal = archRefusal(hit.architectures, host);
  return (
    <article className="card catalog-card" data-testid="catalog-card" data-repository={hit.repository}>
      <h3>
        <a href={imageHref(hit.repository)} data-testid="catalog-card-link">
          {hit.displayName}
        </a>
      </h3>
      <div className="mono muted">{hit.repository}</div>
      {hit.publisher && <div className="muted">by {hit.publisher}</div>}
      <p className="catalog-summary">{hit.summary}</p>
      <div className="catalog-facts">
        <span data-testid="catalog-card-tag">{hit.latestTag ? <span className="mono">{hit.latestTag}</span> : 'no tag known'}</span>
        <span data-testid="catalog-card-size">{sizeText(hit.compressedSize, hit.sizeEstimated)}</span>
        {hit.architectures.length > 0 && <span className="muted">{hit.architectures.join(' · ')}</span>}
        {hit.gated && <span className="badge insecure">NGC sign-in required</span>}
        {hit.source === 'custom' && <span className="badge">custom</span>}
      </div>
      <LaunchControls repository={hit.repository} pullName={hit.pullName} disabledReason={refusal} />
    </article>
  );
}
