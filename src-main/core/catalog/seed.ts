// The catalog shipped inside the app (seed-catalog.json, bundled as JSON by esbuild): 25 popular NGC
// images, so the catalog works on first start with no network. Sizes and dates it marks as estimates
// stay flagged as estimates (sizeEstimated / updatedAtEstimated) until NGC or the registry says.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Architecture, CatalogVersion } from '@shared/contract';
import { repositorySchema } from '@shared/contract/catalog';
import type { StoredCatalogImage } from '../store/catalog';
import seedFile from './seed-catalog.json';
import { isFrameworkImage, isJetsonImage, shipsJupyterLab } from './traits';

const seedEntrySchema = z.object({
  resourceId: repositorySchema,
  registryPath: z.string().max(300),
  name: z.string().min(1).max(128),
  displayName: z.string().min(1).max(200),
  description: z.string().max(2000),
  org: z.string().min(1).max(128),
  team: z.string().min(1).max(128).optional(),
  categories: z.array(z.string().min(1).max(100)).max(32),
  publisher: z.string().max(200),
  latestTag: z.string().min(1).max(128),
  sizeBytes: z.number().int().min(0),
  sizeEstimated: z.boolean(),
  updatedDate: z.iso.datetime(),
  updatedDateEstimated: z.boolean(),
  multiArch: z.boolean(),
  requiresLogin: z.boolean(),
});
export type SeedEntry = z.infer<typeof seedEntrySchema>;

const parsed = z.object({ images: z.array(seedEntrySchema).min(1).max(1000) }).parse(seedFile);

/** The shipped entries, by repository. */
export const SEED_ENTRIES: ReadonlyMap<string, SeedEntry> = new Map(parsed.images.map((e) => [e.resourceId, e]));
/** Changes whenever the shipped file does: the catalog re-seeds its seed rows once per version. */
export const SEED_VERSION = createHash('sha256').update(JSON.stringify(parsed.images)).digest('hex').slice(0, 16);
/** The date the shipped catalog is from (its newest entry), ms since epoch: "offline — catalog from <date>" before any refresh. */
export const SEED_AS_OF = Math.max(...parsed.images.map((e) => Date.parse(e.updatedDate)));

/** The registry host of a seed entry's registryPath (nvcr.io/nvidia/pytorch → nvcr.io). */
const registryOf = (e: SeedEntry) => e.registryPath.slice(0, e.registryPath.length - e.resourceId.length - 1) || 'nvcr.io';

/** The architectures a seed entry is built for: multi-arch images both; otherwise Jetson images arm64, the rest amd64. */
function seedArchitectures(e: SeedEntry): Architecture[] {
  if (e.multiArch) return ['amd64', 'arm64'];
  return isJetsonImage(e.resourceId, e.categories) ? ['arm64'] : ['amd64'];
}

/** NGC's catalog page of an image: /orgs/<org>[/teams/<team>]/containers/<name>. */
export const ngcWebUrl = (org: string, team: string | null | undefined, name: string) =>
  `https://catalog.ngc.nvidia.com/orgs/${org}/${team ? `teams/${team}/` : ''}containers/${name}`;

/** One seed entry as a catalog row (source 'seed'), its latest tag as its one known version. `now`: ms since epoch. */
export function seedImage(e: SeedEntry, now: number): StoredCatalogImage {
  const architectures = seedArchitectures(e);
  const updatedAt = Date.parse(e.updatedDate);
  const version: CatalogVersion = {
    tag: e.latestTag,
    compressedSize: e.sizeBytes,
    sizeEstimated: e.sizeEstimated,
    updatedAt,
    updatedAtEstimated: e.updatedDateEstimated,
    architectures,
    variants: [],
    signed: null,
  };
  return {
    repository: e.resourceId,
    registry: registryOf(e),
    name: e.name,
    displayName: e.displayName,
    summary: e.description,
    description: '',
    publisher: e.publisher || null,
    org: e.org,
    team: e.team ?? null,
    categories: e.categories,
    labels: [],
    source: 'seed',
    gated: e.requiresLogin,
    jupyterLab: shipsJupyterLab(e.resourceId),
    framework: isFrameworkImage(e.resourceId, e.categories),
    jetson: isJetsonImage(e.resourceId, e.categories),
    latestTag: e.latestTag,
    compressedSize: e.sizeBytes,
    sizeEstimated: e.sizeEstimated,
    updatedAt,
    updatedAtEstimated: e.updatedDateEstimated,
    architectures,
    popularity: 0,
    logo: null,
    webUrl: ngcWebUrl(e.org, e.team, e.name),
    versions: [version],
    fetchedAt: now,
    tagsFetchedAt: null,
    detailFetchedAt: null,
  };
}
