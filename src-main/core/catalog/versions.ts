// An image's tags from their source: NGC's tag list, the NGC mirror, or the image's own registry.
import type { StoredCatalogImage } from '../store/catalog';
import { CatalogFetchError } from './http';
import { sizeFor, sortVersions, versionsFromNgcImages } from './normalize';
import type { CatalogContext } from './service-context';
import { compareTagsNewestFirst, offerableTags } from './traits';

/** Tags whose manifests are read for sizes and dates when a registry (not NGC's API) gives the tag list. */
const DETAILED_TAGS = 10;

/** fetchVersions over the service's clients and settings (see CatalogContext). */
export function createVersionFetcher(ctx: CatalogContext) {
  const { registry, ngc, host, settings, apiKey, isNgcRegistry, pathOf, registryTarget } = ctx;

  /** Tags from a registry: offerable tags, newest-looking first; the newest few with sizes per architecture and dates from their manifests. */
  async function versionsFromRegistry(image: StoredCatalogImage, force = false) {
    const t = registryTarget(image);
    const path = pathOf(image);
    const tags = offerableTags(await registry.tags(t, path, force), image.framework).sort(compareTagsNewestFirst);
    const versions = [];
    for (const [i, tag] of tags.entries()) {
      let detail: Awaited<ReturnType<typeof registry.tag>> | null = null;
      if (i < DETAILED_TAGS) {
        try {
          detail = await registry.tag(t, path, tag, { prefer: host, force });
        } catch (e) {
          // A tag deleted between the list and its manifest is left without detail; anything else fails the read.
          if (!(e instanceof CatalogFetchError && e.kind === 'not-found')) throw e;
        }
      }
      const variants = detail?.variants ?? [];
      versions.push({
        tag,
        compressedSize: sizeFor(variants, host, null),
        sizeEstimated: false,
        updatedAt: detail?.createdAt ?? null,
        updatedAtEstimated: false,
        architectures: variants.map((v) => v.architecture),
        variants,
        signed: null,
      });
    }
    return sortVersions(versions);
  }

  /**
   * The image's tags from their source: NGC's tag list for an NGC image (nvcr.io with the API key when
   * NGC hides the repository from guests), the mirror for an NGC image when one is set, the image's own
   * registry for a custom one.
   */
  async function fetchVersions(image: StoredCatalogImage, force = false) {
    if (!isNgcRegistry(image) || settings().registryMirror) return versionsFromRegistry(image, force);
    try {
      return versionsFromNgcImages(await ngc.images(image.repository, force), image.framework, host);
    } catch (e) {
      if (e instanceof CatalogFetchError && (e.kind === 'auth' || e.kind === 'not-found') && apiKey()) return versionsFromRegistry(image, force);
      if (e instanceof CatalogFetchError && e.kind === 'not-found') throw new CatalogFetchError('auth', e.message, null, 404); // NGC hides gated repositories from guests
      throw e;
    }
  }

  return fetchVersions;
}
