import type { CatalogImage } from '@shared/contract';
import { dateText } from './format';
import { isWebLink } from './Markdown';

/** The image's name, repository, publisher, categories and labels, and its page on the web. */
export function ImageHeader({ image }: { image: CatalogImage }) {
  return (
    <header className="image-header">
      <div className="toolbar">
        <h2 data-testid="image-name">{image.displayName}</h2>
        {image.source === 'custom' && <span className="badge">custom</span>}
        {image.framework && <span className="badge">NVIDIA framework</span>}
        {image.jupyterLab && <span className="badge">JupyterLab</span>}
        {image.jetson && <span className="badge">Jetson</span>}
        <span className="spacer" />
        {isWebLink(image.webUrl ?? undefined) && (
          <a href={image.webUrl!} target="_blank" rel="noopener noreferrer">
            Open on the web
          </a>
        )}
      </div>
      <p className="mono muted" data-testid="image-repository">
        {image.pullName}
      </p>
      <p>{image.summary}</p>
      <p className="muted">
        {image.publisher ? `by ${image.publisher} · ` : ''}
        {image.categories.join(', ') || 'no category'}
        {image.updatedAt !== null ? ` · updated ${dateText(image.updatedAt, image.updatedAtEstimated)}` : ''}
        {image.labels.length ? ` · ${image.labels.join(', ')}` : ''}
      </p>
    </header>
  );
}
