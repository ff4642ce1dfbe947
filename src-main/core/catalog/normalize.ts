// NGC's answers → catalog rows, following the NGC CLI's own mapping (registry/transformer/image.py):
// attributes flattened (latestTag, size = compressed size of the latest tag in bytes, latestTagPushedDate),
// labels by key (general → what the catalog UI shows as categories, minus NSPECT- ids; publisher;
// system "containers:multiarch" → amd64 + arm64), keyed by resourceId (= the path on nvcr.io).
import type { Architecture, CatalogVariant, CatalogVersion } from '@shared/contract';
import { repositorySchema } from '@shared/contract/catalog';
import type { StoredCatalogImage } from '../store/catalog';
import type { NgcImage, NgcRepository, NgcResource } from './ngc-client';
import { ngcWebUrl, type SeedEntry } from './seed';
import { asArchitecture, cleanLabels, compareTagsNewestFirst, isFrameworkImage, isJetsonImage, offerableTags, shipsJupyterLab } from './traits';

const time = (s: string | null | undefined): number | null => {
  if (!s) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : t;
};
const bytes = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
};
const https = (url: string | null | undefined): string | null => (url && /^https:\/\/[^\s]+$/.test(url) ? url.slice(0, 2048) : null);
const union = <T>(...lists: readonly (readonly T[])[]): T[] => [...new Set(lists.flat())];

/** The version's size on this host's architecture, else its first variant's, else `fallback`. */
export function sizeFor(variants: readonly CatalogVariant[], host: Architecture | null, fallback: number | null): number | null {
  return (host && variants.find((v) => v.architecture === host)?.compressedSize) ?? variants[0]?.compressedSize ?? fallback;
}

/** Newest first: by date where both have one, else by the tag's numbers (compareTagsNewestFirst). */
export function sortVersions(versions: CatalogVersion[]): CatalogVersion[] {
  return versions.sort((a, b) => (a.updatedAt !== null && b.updatedAt !== null && a.updatedAt !== b.updatedAt ? b.updatedAt - a.updatedAt : compareTagsNewestFirst(a.tag, b.tag)));
}

const variantsOf = (list: NgcImage['architectureVariants']): CatalogVariant[] =>
  (list ?? []).flatMap((v) => {
    const architecture = asArchitecture(v.architecture);
    if (!architecture || (v.os && v.os !== 'linux')) return [];
    return [{ architecture, compressedSize: bytes(v.compressedSize), digest: v.digest ?? null }];
  });

/** GET …/images → versions: cosign tags and (for framework images) `latest` left out, newest first. */
export function versionsFromNgcImages(images: readonly NgcImage[], framework: boolean, host: Architecture | null): CatalogVersion[] {
  const offered = new Set(offerableTags(images.map((i) => i.tag), framework));
  const seen = new Set<string>();
  const out: CatalogVersion[] = [];
  for (const i of images) {
    if (!offered.has(i.tag) || seen.has(i.tag) || !repositoryTag(i.tag)) continue;
    seen.add(i.tag);
    const variants = variantsOf(i.architectureVariants);
    out.push({
      tag: i.tag,
      compressedSize: sizeFor(variants, host, bytes(i.size)),
      sizeEstimated: false,
      updatedAt: time(i.updatedDate),
      updatedAtEstimated: false,
      architectures: variants.map((v) => v.architecture),
      variants,
      signed: i.isSigned ?? null,
    });
  }
  return sortVersions(out);
}

/** A tag as Docker allows it ([\w][\w.-]{0,127}); anything else from a server is not offered. */
const repositoryTag = (tag: string) => /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag);

/** The resource's repository key when it is a valid repository path; null otherwise (the resource is skipped). */
export function repositoryOf(r: NgcResource): string | null {
  const p = repositorySchema.safeParse(r.resourceId);
  return p.success && !p.data.includes(':') ? p.data : null;
}

export interface FromSearchContext {
  /** The NGC registry host images are named on (settings catalog.registry). */
  registry: string;
  now: number;
  host: Architecture | null;
  /** What the catalog has under this repository now (its tags, overview and gating are kept). */
  existing: StoredCatalogImage | undefined;
  /** The shipped entry, when there is one: its categories stay (the catalog's own grouping). */
  seed: SeedEntry | undefined;
}

/** One search resource → a catalog row (source 'ngc'). Versions: what the catalog knew, with the latest tag brought up to date. */
export function imageFromSearch(r: NgcResource, repository: string, c: FromSearchContext): StoredCatalogImage {
  const attrs = new Map((r.attributes ?? []).map((a) => [a.key, a.value === null || a.value === undefined ? null : String(a.value)]));
  const labels = new Map((r.labels ?? []).map((l) => [l.key, l.values ?? []]));
  const general = cleanLabels(labels.get('general') ?? []);
  const categories = union(c.seed?.categories ?? [], general).slice(0, 32);
  const jetson = isJetsonImage(repository, categories);
  const framework = isFrameworkImage(repository, categories);
  const multiArch = (labels.get('system') ?? []).includes('containers:multiarch');
  const latestTag = attrs.get('latestTag') ?? null;
  const size = bytes(attrs.get('size'));
  const updatedAt = time(attrs.get('latestTagPushedDate')) ?? time(r.dateModified);
  const signed = attrs.has('hasSignedTag') ? attrs.get('hasSignedTag') === 'true' : null;
  const known = c.existing?.versions ?? [];
  const tagArchitectures = union(...known.map((v) => v.architectures));
  const architectures: Architecture[] = multiArch ? union<Architecture>(['amd64', 'arm64'], tagArchitectures) : tagArchitectures.length ? tagArchitectures : jetson ? ['arm64'] : ['amd64'];

  let versions = known.map((v) => ({ ...v }));
  if (latestTag && repositoryTag(latestTag) && offerableTags([latestTag], framework).length) {
    const have = versions.find((v) => v.tag === latestTag);
    if (!have) {
      versions.unshift({ tag: latestTag, compressedSize: size, sizeEstimated: false, updatedAt, updatedAtEstimated: false, architectures, variants: [], signed });
    } else {
      // NGC's figures replace estimates (seed) but not what the tag list read per architecture.
      if (have.sizeEstimated || have.compressedSize === null) Object.assign(have, { compressedSize: size ?? have.compressedSize, sizeEstimated: size === null && have.sizeEstimated });
      if (have.updatedAtEstimated || have.updatedAt === null) Object.assign(have, { updatedAt: updatedAt ?? have.updatedAt, updatedAtEstimated: updatedAt === null && have.updatedAtEstimated });
      if (!have.architectures.length) have.architectures = architectures;
      if (have.signed === null) have.signed = signed;
    }
    versions = sortVersions(versions);
  }
  const latest = versions.find((v) => v.tag === latestTag) ?? versions[0];
  return {
    repository,
    registry: c.registry,
    name: r.name,
    displayName: (r.displayName || c.seed?.displayName || r.name).slice(0, 200),
    summary: (r.description ?? c.seed?.description ?? '').trim().slice(0, 2000),
    description: c.existing?.description ?? '',
    publisher: (labels.get('publisher') ?? [])[0] ?? c.seed?.publisher ?? null,
    org: r.orgName ?? repository.split('/')[0]!,
    team: r.teamName ?? null,
    categories,
    labels: general.slice(0, 64),
    source: 'ngc',
    // Known from a detail or a refused tag list; before that, NIM repositories are the entitlement-gated ones.
    gated: c.existing && c.existing.source !== 'seed' ? c.existing.gated : (c.seed?.requiresLogin ?? repository.startsWith('nim/')),
    jupyterLab: shipsJupyterLab(repository),
    framework,
    jetson,
    latestTag: latest?.tag ?? null,
    compressedSize: latest?.compressedSize ?? size,
    sizeEstimated: latest?.sizeEstimated ?? false,
    updatedAt: latest?.updatedAt ?? updatedAt,
    updatedAtEstimated: latest?.updatedAtEstimated ?? false,
    architectures,
    popularity: Math.max(0, r.weightPopular ?? 0),
    logo: https(attrs.get('logo')),
    webUrl: ngcWebUrl(r.orgName ?? repository.split('/')[0]!, r.teamName, r.name),
    versions,
    fetchedAt: c.now,
    tagsFetchedAt: c.existing?.tagsFetchedAt ?? null,
    detailFetchedAt: c.existing?.detailFetchedAt ?? null,
  };
}

/**
 * A row with fresh versions from a tag list: latest tag, size, date and architectures follow the
 * latest version — NGC's latestTag when the list has it (a variant such as -igpu pushed an hour later
 * is not "the latest"), otherwise the newest.
 */
export function withVersions(image: StoredCatalogImage, versions: CatalogVersion[], now: number): StoredCatalogImage {
  const named = image.source !== 'custom' && image.latestTag ? versions.find((v) => v.tag === image.latestTag) : undefined;
  const newest = named ?? versions[0];
  const architectures = union(...versions.map((v) => v.architectures));
  return {
    ...image,
    versions,
    latestTag: newest?.tag ?? image.latestTag,
    compressedSize: newest ? newest.compressedSize : image.compressedSize,
    sizeEstimated: newest ? newest.sizeEstimated : image.sizeEstimated,
    updatedAt: newest?.updatedAt ?? image.updatedAt,
    updatedAtEstimated: newest ? newest.updatedAtEstimated : image.updatedAtEstimated,
    architectures: architectures.length ? architectures : image.architectures,
    tagsFetchedAt: now,
  };
}

/** A row with NGC's repository detail: the Markdown overview, labels, gating, logo. */
export function withDetail(image: StoredCatalogImage, d: NgcRepository, now: number): StoredCatalogImage {
  const labels = cleanLabels([...image.labels, ...(d.labels ?? [])]).slice(0, 64);
  const variants = variantsOf(d.latestArchitectureVariants);
  return {
    ...image,
    displayName: (d.displayName || image.displayName).slice(0, 200),
    summary: (d.shortDescription ?? image.summary).trim().slice(0, 2000),
    description: (d.description ?? image.description).slice(0, 200_000),
    publisher: d.publisher ?? image.publisher,
    labels,
    gated: d.canGuestPull === false ? true : d.canGuestPull === true ? false : image.gated,
    architectures: variants.length ? union(image.architectures, variants.map((v) => v.architecture)) : image.architectures,
    logo: https(d.logo) ?? image.logo,
    detailFetchedAt: now,
  };
}
