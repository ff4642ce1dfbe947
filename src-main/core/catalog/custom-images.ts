// Custom images (added or removed by the user, on any registry) and the catalog file (export, import).
import type { CatalogDocument, CatalogImage, CatalogImportResult, JournalActor } from '@shared/contract';
import type { catalogAddSchema } from '@shared/contract/catalog';
import { AppError } from '@shared/errors';
import type { z } from 'zod';
import type { StoredCatalogImage } from '../store/catalog';
import { catalogDocument, parseCatalogDocument } from './document';
import { isLoopbackHost, parseImageLocation } from './reference';
import type { CatalogContext } from './service-context';
import { isJetsonImage, offerableTags } from './traits';

type AddInput = z.output<typeof catalogAddSchema>;

/** add, remove, exportDocument and importDocument of the catalog service (see createCatalogService). */
export function createCustomImages(ctx: CatalogContext) {
  const { deps, now, settings, ensureSeeded, refuseReadOnly, toContract, changed, journalFailure } = ctx;

  return {
    /** Adds (or replaces) a custom image: any registry, tagged or not. */
    add(input: AddInput, actor: JournalActor = 'user'): CatalogImage {
      refuseReadOnly('adding an image');
      ensureSeeded();
      let loc;
      try {
        loc = parseImageLocation(input.reference);
      } catch (e) {
        throw new AppError('INVALID_INPUT', (e as Error).message);
      }
      const repository = loc.registry === settings().registry ? loc.path : `${loc.registry}/${loc.path}`;
      const existing = ctx.repo.get(repository);
      if (existing && existing.source !== 'custom') {
        throw new AppError('CONFLICT', `${repository} is already in the catalog (from ${existing.source === 'seed' ? 'the shipped catalog' : 'NGC'}).`);
      }
      const categories = input.category ? [input.category] : [];
      const description = input.description.trim();
      const tag = loc.tag && offerableTags([loc.tag], input.framework).length ? loc.tag : null; // never `latest` for a framework image
      const t = now();
      const image: StoredCatalogImage = {
        repository,
        registry: loc.registry,
        name: loc.path.split('/').at(-1)!,
        displayName: input.displayName ?? loc.path.split('/').at(-1)!,
        summary: (description.split(/\n\s*\n/)[0] ?? '').replace(/\s+/g, ' ').slice(0, 300),
        description,
        publisher: null,
        org: null,
        team: null,
        categories,
        labels: [],
        source: 'custom',
        gated: false,
        jupyterLab: input.jupyterLab,
        framework: input.framework,
        jetson: isJetsonImage(repository, categories),
        latestTag: tag,
        compressedSize: null,
        sizeEstimated: false,
        updatedAt: null,
        updatedAtEstimated: false,
        architectures: [],
        popularity: 0,
        logo: null,
        webUrl: null,
        versions: tag ? [{ tag, compressedSize: null, sizeEstimated: false, updatedAt: null, updatedAtEstimated: false, architectures: [], variants: [], signed: null }] : [],
        fetchedAt: t,
        tagsFetchedAt: null,
        detailFetchedAt: null,
      };
      ctx.repo.put([image]);
      deps.events.record({ type: 'catalog.add', ts: now(), actor, image: `${loc.registry}/${loc.path}`, details: { repository, insecure: isLoopbackHost(loc.registry) } });
      changed('add', [repository]);
      return toContract(image);
    },

    /** Removes a custom image; entries from the shipped catalog or NGC are refused (they would come back). */
    remove(repository: string, actor: JournalActor = 'user'): { removed: boolean } {
      refuseReadOnly('removing an image');
      ensureSeeded();
      const image = ctx.repo.get(repository);
      if (!image) return { removed: false };
      if (image.source !== 'custom') throw new AppError('CONFLICT', `only images you added can be removed; ${repository} comes from ${image.source === 'seed' ? 'the shipped catalog' : 'NGC'}.`);
      const removed = ctx.repo.remove(repository);
      deps.events.record({ type: 'catalog.remove', ts: now(), actor, details: { repository } });
      changed('remove', [repository]);
      return { removed };
    },

    exportDocument(): CatalogDocument {
      ensureSeeded();
      return catalogDocument(ctx.repo.all().map(toContract), now());
    },

    /** Imports a catalog file whole, or refuses it whole with the location of its first error (journaled). */
    importDocument(json: string, mode: 'merge' | 'replace', actor: JournalActor = 'user'): CatalogImportResult {
      refuseReadOnly('importing a catalog');
      ensureSeeded();
      let images: CatalogImage[];
      try {
        images = parseCatalogDocument(json);
      } catch (e) {
        journalFailure('catalog.import', (e as Error).message, { mode, location: (e as AppError).details }, actor);
        throw e;
      }
      const result = ctx.repo.importAll(
        images.map(({ pullName: _p, ...image }) => ({ ...image, tagsFetchedAt: null, detailFetchedAt: image.description ? image.fetchedAt : null })),
        mode,
      );
      deps.events.record({ type: 'catalog.import', ts: now(), actor, details: { mode, ...result } });
      changed('import');
      return result;
    },
  };
}
