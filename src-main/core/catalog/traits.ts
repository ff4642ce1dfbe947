// What the catalog tells about an image beyond NGC's own fields: whether it is an NVIDIA framework
// image (launched with --ipc=host and the recommended ulimits; its repository has no `latest`),
// whether it ships JupyterLab, whether it is built for Jetson; and which labels and tags to show.
// Sources: NVIDIA's NGC container documentation and release notes, and nvcr.io's tag lists.
import { ARCHITECTURES, type Architecture } from '@shared/contract';

/**
 * NVIDIA's deep-learning framework containers. Their docs recommend
 * `--gpus all --ipc=host --ulimit memlock=-1 --ulimit stack=67108864`, and their repositories carry
 * only release tags (nvidia/pytorch has no `latest`: pulling it is a 404).
 */
const FRAMEWORK_REPOSITORIES = new Set([
  'nvidia/pytorch',
  'nvidia/tensorflow',
  'nvidia/jax',
  'nvidia/nemo',
  'nvidia/paddlepaddle',
  'nvidia/mxnet',
  'nvidia/dgl',
  'nvidia/l4t-pytorch',
  'nvidia/l4t-tensorflow',
  'nvidia/l4t-ml',
]);
/** NGC's catalog category (and the seed's) for those containers. */
const FRAMEWORK_CATEGORY = 'deep learning frameworks';

/**
 * Images that ship JupyterLab (their release notes list it; l4t-ml starts it by default; RAPIDS ships
 * it in its notebooks image only).
 */
const JUPYTERLAB_REPOSITORIES = new Set(['nvidia/pytorch', 'nvidia/tensorflow', 'nvidia/nemo', 'nvidia/l4t-ml', 'nvidia/rapidsai/notebooks']);

const lower = (list: readonly string[]) => list.map((s) => s.toLowerCase());

/** An NVIDIA framework image (repository list above, or in NGC's "Deep Learning Frameworks" category). */
export function isFrameworkImage(repository: string, categories: readonly string[]): boolean {
  return FRAMEWORK_REPOSITORIES.has(repository) || lower(categories).includes(FRAMEWORK_CATEGORY);
}

export function shipsJupyterLab(repository: string): boolean {
  return JUPYTERLAB_REPOSITORIES.has(repository);
}

/** Built for Jetson: an L4T repository (a path segment starting with l4t-) or in the Jetson category. */
export function isJetsonImage(repository: string, categories: readonly string[]): boolean {
  return repository.split('/').some((s) => s.startsWith('l4t-') || s === 'l4t') || lower(categories).includes('jetson');
}

/**
 * NGC label values fit to show: without NVIDIA's internal product-security ids (`NSPECT-XXXX-XXXX`),
 * the unresolved-label marker and blanks; each once, in the order given.
 */
export function cleanLabels(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of values) {
    const v = raw.trim();
    if (!v || /^NSPECT-/i.test(v) || v === '_LABEL_FAILED_TO_RESOLVE_' || out.includes(v)) continue;
    out.push(v.slice(0, 200));
  }
  return out;
}

/** A cosign signature, attestation or SBOM tag (`sha256-<64 hex>.sig|.att|.sbom`): not an image to run. */
export const isCosignTag = (tag: string) => /^sha256-[0-9a-f]{64}\.(sig|att|sbom)$/.test(tag);

/** The tags to offer: cosign tags dropped, and `latest` for framework images (they publish release tags only). */
export function offerableTags(tags: readonly string[], framework: boolean): string[] {
  return tags.filter((t) => !isCosignTag(t) && !(framework && t === 'latest'));
}

const chunks = (s: string) => s.match(/\d+|\D+/g) ?? [];
/**
 * Newest-looking tag first: compares digit runs as numbers (25.12-py3 before 25.9-py3 before 24.12-py3);
 * of two tags where one extends the other, the shorter first (25.12-py3 before 25.12-py3-igpu).
 */
export function compareTagsNewestFirst(a: string, b: string): number {
  const x = chunks(a);
  const y = chunks(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const p = x[i]!;
    const q = y[i]!;
    if (p === q) continue;
    const pn = /^\d/.test(p);
    const qn = /^\d/.test(q);
    if (pn && qn) return Number(q) - Number(p) || q.length - p.length;
    if (pn !== qn) return pn ? -1 : 1; // a number beats a word at the same place (1.3.0 before 1.3.0rc1 comes from the length rule)
    return p < q ? -1 : 1; // words: alphabetical
  }
  return x.length - y.length;
}

const NODE_TO_OCI: Record<string, Architecture> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', ia32: '386', riscv64: 'riscv64' };
/** This host's architecture as OCI platforms name it (Node's process.arch x64 → amd64). */
export const hostArchitecture = (nodeArch: string = process.arch): Architecture | null => NODE_TO_OCI[nodeArch] ?? null;

/** An OCI platform architecture we know (manifest lists also carry "unknown" for attestations). */
export const asArchitecture = (s: unknown): Architecture | null => (typeof s === 'string' && (ARCHITECTURES as readonly string[]).includes(s) ? (s as Architecture) : null);
