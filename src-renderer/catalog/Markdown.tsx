import Markdown, { type Components } from 'react-markdown';

/** An absolute http(s) address, the only kind the OS browser is asked to open (relative and other schemes are not links here). */
export function isWebLink(href: string | undefined): href is string {
  if (!href || !URL.canParse(href)) return false;
  const { protocol } = new URL(href);
  return protocol === 'http:' || protocol === 'https:';
}

/** A link that leaves the app: a new window, which the desktop shell hands to the OS browser (http/https only) and a browser opens in a tab. */
function ExternalLink({ href, children, className }: { href: string; children: React.ReactNode; className?: string }) {
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" className={className}>
      {children}
    </a>
  );
}

const COMPONENTS: Components = {
  a: ({ href, children }) => (isWebLink(href) ? <ExternalLink href={href}>{children}</ExternalLink> : <span className="md-inert-link">{children}</span>),
  // Never fetched: a remote image can be a tracking pixel. Its alt text, as a link to it when it is on the web.
  img: ({ src, alt }) => {
    const text = `[image${alt ? `: ${alt}` : ''}]`;
    return typeof src === 'string' && isWebLink(src) ? (
      <ExternalLink href={src} className="md-image-link">
        {text}
      </ExternalLink>
    ) : (
      <span className="md-image-link">{text}</span>
    );
  },
};

/**
 * A catalog description (NGC's markdown, or a custom image's) rendered inert: raw HTML is dropped
 * (skipHtml), unsafe URL schemes are stripped (react-markdown's default urlTransform), links open
 * outside the app, and images are shown as their alt text instead of being loaded.
 */
export function SafeMarkdown({ text }: { text: string }) {
  return (
    <div className="markdown" data-testid="markdown">
      <Markdown skipHtml components={COMPONENTS}>
        {text}
      </Markdown>
    </div>
  );
}
