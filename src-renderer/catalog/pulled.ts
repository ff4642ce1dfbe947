import type { ImageSummary } from '@shared/contract';

/**
 * The reference as the engine lists it after a pull: Docker Hub's own names lose their registry
 * (docker.io/library/python → python, docker.io/team/app → team/app); any other keeps it.
 */
export function engineName(pullName: string): string {
  const hub = /^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\/(.+)$/.exec(pullName);
  if (!hub) return pullName;
  return hub[1]!.startsWith('library/') && hub[1]!.split('/').length === 2 ? hub[1]!.slice('library/'.length) : hub[1]!;
}

/** The tags of `pullName` the engine has already (from images.list), so Launch pulls nothing for them. */
export function pulledTags(images: readonly ImageSummary[] | undefined, pullName: string): ReadonlySet<string> {
  const prefix = `${engineName(pullName)}:`;
  return new Set((images ?? []).flatMap((i) => i.tags.filter((t) => t.startsWith(prefix)).map((t) => t.slice(prefix.length))));
}
