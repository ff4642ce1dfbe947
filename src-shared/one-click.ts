// A catalog entry and facts about the engine's host → the launch a one-click Launch runs, with the
// flags NVIDIA recommends for its images (../shared/reference/ngc-and-gpu.md §6; NGC containers
// print the same advice on start: `--gpus all --ipc=host --ulimit memlock=-1 --ulimit stack=67108864`).
// Pure: the main process gathers the facts (sampler, engine, settings, the catalog) and runs the result
// through the lifecycle gate; the renderer may call it to preview.
import type { Architecture, CatalogImage, CatalogVersion } from './contract/catalog';
import type { LaunchOverrides } from './contract/catalog-launch';
import { launchSchema, type LaunchInput, type LaunchSpec } from './contract/containers';
import { AppError } from './errors';
import { LABEL_CATALOG } from './labels';
import { formatBytes } from './units';
import { parseVolume } from './volumes';

/** What the launch needs to know about the engine's host. */
export interface HostFacts {
  /** The engine's CPU architecture as OCI platforms name it (the engine's `docker version` Arch: amd64, arm64). */
  arch: Architecture;
  /** NVIDIA GPUs nvidia-smi lists on the engine's host; null when not known (an engine on another machine). */
  gpuCount: number | null;
  /** The host is a Jetson board (tegrastats reports it). */
  jetson: boolean;
  /** The engine offers the `nvidia` runtime (`docker info` Runtimes); undefined when not known. */
  nvidiaRuntime?: boolean;
  /** The project folder, an absolute path the caller found to be a folder; null for none. */
  projectDir: string | null;
  /** Names of the containers on the engine, so that the launch takes a free one. */
  containerNames: readonly string[];
  /**
   * The largest memlock ulimit the engine can grant a container, in bytes (its dockerd's hard limit,
   * for a dockerd that cannot raise it: rootless or restricted); null when unlimited can be granted or
   * when it is not known (an engine on another machine), where NVIDIA's memlock=-1 is kept.
   */
  memlockMax: number | null;
}

export interface OneClickPlan {
  tag: string;
  /** The launch as the launch form holds it (strings), overrides applied. */
  input: LaunchInput;
  /** The same, validated by launchSchema. */
  spec: LaunchSpec;
  /** One sentence per choice a person would want told. */
  notes: string[];
}

/** NVIDIA's recommended flags for its framework images (PyTorch, TensorFlow, JAX…): the host's IPC namespace and these limits. */
export const FRAMEWORK_ULIMITS = ['memlock=-1', 'stack=67108864'] as const;
/** The port JupyterLab listens on inside the container. */
export const JUPYTER_PORT = 8888;
/**
 * How NGC's framework containers document starting JupyterLab. Run as the container's command (after
 * the image's entrypoint, which NGC images keep), the server prints its token link on the container's
 * own output, where "Open Jupyter" reads it; an image's own way of starting Jupyter may log elsewhere
 * or set a fixed password, so the command is given explicitly for every image that ships JupyterLab.
 */
export const JUPYTER_COMMAND = ['jupyter', 'lab', '--ip=0.0.0.0', `--port=${JUPYTER_PORT}`, '--allow-root', '--no-browser'] as const;

/** A size as formatBytes writes it, without a ".0" that says nothing (8 MiB, 64 KiB, 1.5 GiB). */
const size = (bytes: number) => formatBytes(bytes).replace(/\.0 /, ' ');
const ref = (image: CatalogImage, tag: string) => `${image.repository}:${tag}`;
const listed = (xs: readonly string[], max = 5) => (xs.length > max ? `${xs.slice(0, max).join(', ')} and ${xs.length - max} more` : xs.join(', '));

/** A tag the catalog knows for the image: its versions, or the latest tag alone when it has none listed. */
function knownVersions(image: CatalogImage): CatalogVersion[] {
  if (image.versions.length || !image.latestTag) return image.versions;
  return [{ tag: image.latestTag, compressedSize: image.compressedSize, sizeEstimated: image.sizeEstimated, updatedAt: image.updatedAt, updatedAtEstimated: image.updatedAtEstimated, architectures: image.architectures, variants: [], signed: null }];
}

/**
 * The tag to launch: `wanted` when the catalog knows it and it is built for `arch`, else the newest
 * tag (versions are newest first) built for `arch`; a tag whose architectures are not known yet is
 * taken only when no tag is known to be built for `arch` (with a note). Framework images never get
 * `latest` (nvcr.io has none for them). Throws AppError INVALID_INPUT naming the image, the tag and
 * what to do instead; NOT_FOUND when the catalog knows no tag for the image at all.
 */
export function chooseTag(image: CatalogImage, arch: Architecture, wanted?: string): { tag: string; notes: string[] } {
  const versions = knownVersions(image).filter((v) => !(image.framework && v.tag === 'latest'));
  const builtFor = (v: CatalogVersion) => v.architectures.includes(arch);
  const unknownArch = (t: string) => `The architectures of ${ref(image, t)} are not known yet: Docker refuses the pull if it has no ${arch} build.`;
  if (wanted !== undefined) {
    if (image.framework && wanted === 'latest') {
      throw new AppError('INVALID_INPUT', `${image.repository} is an NVIDIA framework image, which has no "latest" tag on nvcr.io: pick a release tag${versions[0] ? ` such as ${versions[0].tag}` : ''}`);
    }
    const v = versions.find((x) => x.tag === wanted);
    if (!v) {
      const known = versions.map((x) => x.tag);
      throw new AppError(
        'INVALID_INPUT',
        `${image.repository} has no tag "${wanted}" in the catalog${known.length ? ` (its tags: ${listed(known)})` : ''}; if the tag is new, read the tags again from the registry (mlenv catalog tags ${image.repository})`,
      );
    }
    if (v.architectures.length && !builtFor(v)) {
      const other = versions.find(builtFor);
      throw new AppError(
        'INVALID_INPUT',
        `${ref(image, wanted)} is built for ${v.architectures.join(', ')}, not for this host's ${arch}: ${other ? `pick a tag built for ${arch}, such as ${other.tag}` : `no tag of ${image.repository} in the catalog is built for ${arch}`}`,
      );
    }
    return { tag: wanted, notes: v.architectures.length ? [] : [unknownArch(wanted)] };
  }
  const newest = versions.find(builtFor);
  if (newest) return { tag: newest.tag, notes: [] };
  const unknown = versions.find((v) => v.architectures.length === 0);
  if (unknown) return { tag: unknown.tag, notes: [unknownArch(unknown.tag)] };
  if (!versions.length) {
    throw new AppError('NOT_FOUND', `the catalog knows no tag of ${image.repository}${image.framework ? ' other than "latest", which NVIDIA framework images do not have' : ''}: read its tags from the registry (mlenv catalog tags ${image.repository})`);
  }
  const archs = [...new Set(versions.flatMap((v) => v.architectures))];
  throw new AppError('INVALID_INPUT', `no tag of ${image.repository} is built for this host's ${arch} (its tags are built for ${archs.join(', ')})`);
}

/** The folder's own name (the last part of a / or \ path). */
export const folderName = (dir: string): string => dir.split(/[\\/]+/).filter(Boolean).at(-1) ?? '';

/** A project name (launchSchema's rule: 1–64 letters, digits, _ . -, starting with a letter or digit) from a folder name; "default" when nothing is left. */
export function projectName(folder: string): string {
  const name = folder
    .replace(/[^a-zA-Z0-9_.-]+/g, '-')
    .replace(/^[^a-zA-Z0-9]+/, '')
    .slice(0, 64)
    .replace(/[^a-zA-Z0-9]+$/, '');
  return name || 'default';
}

/** `<base>-<n>` with the smallest n ≥ 1 no container on the engine has (Docker's name rule kept: at most 128 characters). */
export function freeName(base: string, taken: readonly string[]): string {
  const stem = (base.replace(/[^a-zA-Z0-9_.-]+/g, '-').replace(/^[^a-zA-Z0-9]+/, '') || 'container').slice(0, 100);
  const names = new Set(taken.map((n) => n.replace(/^\//, '')));
  for (let n = 1; ; n++) if (!names.has(`${stem}-${n}`)) return `${stem}-${n}`;
}

/** The first problem of a launch that does not validate, in one sentence naming the field. */
function invalid(issues: { path: PropertyKey[]; message: string }[]): AppError {
  const i = issues[0]!;
  return new AppError('INVALID_INPUT', `${i.path.length ? `${i.path.map(String).join('.')}: ` : ''}${i.message}`);
}

/**
 * The one-click launch of `image` on a host described by `facts`, `overrides` (Customise…, the CLI's
 * flags) replacing whole fields of it (labels are added to, never replacing io.mlenv.catalog):
 * - the tag of chooseTag (`wanted`, else the newest built for the host's architecture);
 * - image `<pullName>:<tag>` (pullName carries the registry mirror setting), name `<name>-<n>` free on
 *   the engine, a terminal and open stdin (`-it`, as NGC documents: the image's shell stays up) and an init;
 * - GPUs: on a Jetson the `nvidia` runtime instead of `--gpus` (how L4T images run); elsewhere all GPUs
 *   when nvidia-smi lists any, none otherwise, each with a note;
 * - NVIDIA framework images: `--ipc=host` (dropped when an override sets a shm size, which the host
 *   IPC namespace would ignore) and FRAMEWORK_ULIMITS, memlock lowered to `facts.memlockMax` where
 *   the engine cannot grant unlimited (with a note), since runc would refuse the start;
 * - images that ship JupyterLab: JUPYTER_COMMAND, container port 8888 published on 127.0.0.1 at a
 *   port the engine picks (HostPort ""), read back after the start — no port is chosen beforehand, so
 *   none can be taken in between;
 * - the project folder at /workspace/<folder name>, the project named after the folder;
 * - labels io.mlenv.catalog=<repository> (io.mlenv.project and io.mlenv.managed come with every launch).
 * Throws AppError: chooseTag's refusals, and INVALID_INPUT with the first problem of the resulting
 * launch (a project folder Docker's -v cannot carry, an override that does not fit).
 */
export function oneClickSpec(image: CatalogImage, facts: HostFacts, overrides: LaunchOverrides = {}, wanted?: string): OneClickPlan {
  const chosen = chooseTag(image, facts.arch, wanted);
  const { tag } = chosen;
  // Each note names the fields it speaks of: an override of any of them makes it untrue, so it goes.
  const said: { fields: (keyof LaunchInput)[]; text: string }[] = chosen.notes.map((text) => ({ fields: [], text }));
  const note = (fields: (keyof LaunchInput)[], text: string) => said.push({ fields, text });
  const input: LaunchInput = {
    image: `${image.pullName}:${tag}`,
    name: freeName(image.name, facts.containerNames),
    project: 'default',
    labels: { [LABEL_CATALOG]: image.repository },
    interactive: true,
    init: true,
  };

  if (facts.jetson) {
    if (facts.nvidiaRuntime === false) {
      note(['runtime', 'gpus'], 'This Jetson’s Docker has no nvidia runtime, so the container runs without the GPU: install the NVIDIA Container Toolkit and set the runtime up (nvidia-ctk runtime configure --runtime=docker).');
    } else {
      input.runtime = 'nvidia';
      note(['runtime', 'gpus'], 'Jetson: the GPU comes through the nvidia runtime (--runtime nvidia), as NVIDIA runs its L4T images.');
    }
  } else if (facts.gpuCount === null) {
    note(['gpus'], 'The GPUs of this engine’s host are not known here, so the container starts without GPUs: choose them in Customise… (or --gpus).');
  } else if (facts.gpuCount > 0) {
    input.gpus = 'all';
    note(['gpus'], `All ${facts.gpuCount === 1 ? 'the host’s GPU' : `${facts.gpuCount} GPUs of the host`} (--gpus all).`);
  } else {
    note(['gpus'], 'No NVIDIA GPU on this host: the container starts without GPUs.');
  }
  if (image.jetson && !facts.jetson) note([], `${image.repository} is built for Jetson boards (L4T); on this host it may not find a GPU.`);

  if (image.framework) {
    input.ipc = 'host';
    input.ulimits = [...FRAMEWORK_ULIMITS];
    note(['ipc', 'ulimits'], 'NVIDIA’s recommended flags for its framework images: --ipc=host --ulimit memlock=-1 --ulimit stack=67108864.');
    if (facts.memlockMax !== null) {
      input.ulimits = input.ulimits.map((u) => (u.startsWith('memlock=') ? `memlock=${facts.memlockMax}` : u));
      note(
        ['ulimits'],
        `This Docker engine cannot lift the locked-memory limit (memlock), so it is set to ${size(facts.memlockMax)}, the engine’s own limit; pinned-memory transfers (NCCL, RDMA) may be slower. Run dockerd with a higher LimitMEMLOCK to lift it.`,
      );
    }
  }

  if (image.jupyterLab) {
    input.command = [...JUPYTER_COMMAND];
    input.ports = [`127.0.0.1:0:${JUPYTER_PORT}`];
    note(['command', 'ports'], `JupyterLab starts on a free port of 127.0.0.1 (${JUPYTER_COMMAND.join(' ')}); “Open Jupyter” appears once the server prints its link.`);
  }

  if (facts.projectDir !== null) {
    const folder = folderName(facts.projectDir);
    if (!folder || /^[A-Za-z]:$/.test(folder)) throw new AppError('INVALID_INPUT', `the project folder ${facts.projectDir} is the root of a file system, not a project folder: pick the folder of one project`);
    const volume = `${facts.projectDir}:/workspace/${folder}`;
    try {
      parseVolume(volume);
    } catch (e) {
      throw new AppError('INVALID_INPUT', `the project folder ${facts.projectDir} cannot be mounted with docker -v (${(e as Error).message}); pick another folder`);
    }
    input.volumes = [volume];
    input.project = projectName(folder);
    note(['volumes'], `The project folder ${facts.projectDir} is at /workspace/${folder} in the container.`);
  }

  const given = stripUndefined(overrides);
  const changed = Object.keys(given) as (keyof LaunchInput)[];
  // Labels add to the catalog's (io.mlenv.catalog keeps saying where the container came from); every other field replaces.
  const merged: LaunchInput = { ...input, ...given, ...(given.labels ? { labels: { ...given.labels, ...input.labels } } : {}) };
  const notes = said.filter((n) => !n.fields.some((f) => changed.includes(f))).map((n) => n.text);
  if (changed.length) notes.push(`Set by you: ${changed.join(', ')}.`);
  if (given.shmSize !== undefined && given.ipc === undefined && merged.ipc === 'host') {
    delete merged.ipc;
    notes.push('The shm size you set replaces --ipc=host (with the host’s IPC namespace the container would use the host’s /dev/shm and ignore it).');
  }
  const r = launchSchema.safeParse(merged);
  if (!r.success) throw invalid(r.error.issues);
  return { tag, input: merged, spec: r.data, notes };
}

const stripUndefined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
