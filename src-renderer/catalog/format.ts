// How catalog figures read on cards, the image page and the status line.
import { ARCHITECTURES, type Architecture, type CatalogStatus } from '@shared/contract';
import { formatBytes } from '@shared/units';

/** A compressed (download) size; an estimate from the shipped seed says so. */
export function sizeText(bytes: number | null, estimated: boolean): string {
  if (bytes === null) return 'size unknown';
  return estimated ? `≈ ${formatBytes(bytes)} estimated` : formatBytes(bytes);
}

/** A calendar date (UTC, YYYY-MM-DD); an estimated one (a YY.MM tag's month) says so. */
export function dateText(ms: number | null, estimated = false): string {
  if (ms === null) return 'date unknown';
  const d = new Date(ms).toISOString();
  return estimated ? `≈ ${d.slice(0, 7)}` : d.slice(0, 10);
}

/** The engine's architecture (Docker's Server.Arch is Go's GOARCH, which OCI platforms use too) when the catalog knows it. */
export function hostArchitecture(engineArch: string | undefined): Architecture | undefined {
  return (ARCHITECTURES as readonly string[]).includes(engineArch ?? '') ? (engineArch as Architecture) : undefined;
}

/** The status line: where the shown catalog comes from and how old it is; offline says so first. */
export function statusText(s: CatalogStatus): string {
  const from = `catalog from ${dateText(s.dataAsOf)}`;
  if (s.offline) return `offline — ${from}`;
  const source = s.dataSource === 'live' ? 'refreshed from NGC' : s.dataSource === 'cache' ? 'cached NGC answers' : 'shipped with the app';
  return `${from} (${source}) · ${s.images} images`;
}

/** The refresh's progress in percent, or null while its total is not known. */
export const refreshPercent = (r: NonNullable<CatalogStatus['refresh']>): number | null => (r.total > 0 ? Math.min(100, (100 * r.done) / r.total) : null);

/** The image page's address: #/catalog/<repository, one path segment>[/customise]. */
export const imageHref = (repository: string, customise = false) => `#/catalog/${encodeURIComponent(repository)}${customise ? '/customise' : ''}`;

/** What a #/catalog… address shows: the list, or one image (with the launch form open for /customise). */
export function catalogRoute(hash: string): { repository?: string; customise: boolean } {
  const [, repo, sub] = hash.replace(/^#\/?/, '').split('/');
  if (!repo) return { customise: false };
  try {
    return { repository: decodeURIComponent(repo), customise: sub === 'customise' };
  } catch {
    return { customise: false }; // a mangled %-escape: show the list
  }
}

/** Why a build for these architectures cannot run here, or undefined when it can (or the architectures are not known yet). */
export function archRefusal(architectures: readonly Architecture[], host: Architecture | undefined): string | undefined {
  if (!host || architectures.length === 0 || architectures.includes(host)) return undefined;
  return `No ${host} build: this image is built for ${architectures.join(', ')}.`;
}
