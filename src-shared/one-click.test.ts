// One-click launch defaults over images × hosts: the tag for this architecture, GPUs or the Jetson
// runtime, NVIDIA's framework flags, JupyterLab on 127.0.0.1, the project folder, and the refusals.
import { describe, expect, it } from 'vitest';
import type { Architecture, CatalogImage, CatalogVersion } from './contract/catalog';
import { AppError } from './errors';
import { dockerRunLine } from './docker-run-line';
import { chooseTag, folderName, freeName, oneClickSpec, projectName, type HostFacts } from './one-click';

const version = (tag: string, architectures: Architecture[]): CatalogVersion => ({
  tag,
  compressedSize: 10_519_125_052,
  sizeEstimated: false,
  updatedAt: null,
  updatedAtEstimated: false,
  architectures,
  variants: [],
  signed: null,
});

function image(repository: string, over: Partial<CatalogImage> = {}): CatalogImage {
  const name = repository.split('/').at(-1)!;
  return {
    repository,
    registry: 'nvcr.io',
    pullName: `nvcr.io/${repository}`,
    name,
    displayName: name,
    summary: '',
    description: '',
    publisher: 'NVIDIA',
    org: 'nvidia',
    team: null,
    categories: [],
    labels: [],
    source: 'seed',
    gated: false,
    jupyterLab: false,
    framework: false,
    jetson: false,
    latestTag: over.versions?.[0]?.tag ?? null,
    compressedSize: null,
    sizeEstimated: false,
    updatedAt: null,
    updatedAtEstimated: false,
    architectures: [...new Set((over.versions ?? []).flatMap((v) => v.architectures))],
    popularity: 0,
    logo: null,
    webUrl: null,
    versions: [],
    fetchedAt: 0,
    ...over,
  };
}

// Newest first, as the catalog keeps them: the newest tag is amd64-only.
const pytorch = image('nvidia/pytorch', {
  framework: true,
  jupyterLab: true,
  versions: [version('26.09-py3', ['amd64']), version('26.08-py3', ['amd64', 'arm64']), version('25.12-py3', ['amd64', 'arm64'])],
});
const l4tPytorch = image('nvidia/l4t-pytorch', { framework: true, jetson: true, versions: [version('r35.2.1-pth2.0-py3', ['arm64'])] });
const triton = image('nvidia/tritonserver', { versions: [version('25.12-py3', ['amd64', 'arm64'])] });
const onlyLatestFramework = image('nvidia/jax', { framework: true, versions: [version('latest', ['amd64'])] });
const custom = image('127.0.0.1:5000/team/app', { registry: '127.0.0.1:5000', pullName: '127.0.0.1:5000/team/app', org: null, source: 'custom', versions: [version('latest', [])] });

const x86 = (gpuCount: number | null, over: Partial<HostFacts> = {}): HostFacts => ({ arch: 'amd64', gpuCount, jetson: false, projectDir: null, containerNames: [], memlockMax: null, ...over });
const jetson = (over: Partial<HostFacts> = {}): HostFacts => ({ arch: 'arm64', gpuCount: 0, jetson: true, nvidiaRuntime: true, projectDir: null, containerNames: [], memlockMax: null, ...over });

const refusal = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
};

describe('oneClickSpec: hosts', () => {
  it('x86 with 2 GPUs: all GPUs, NVIDIA’s framework flags, JupyterLab on a free port of 127.0.0.1', () => {
    const { spec, input, tag, notes } = oneClickSpec(pytorch, x86(2));
    expect(tag).toBe('26.09-py3');
    expect(input).toMatchObject({
      image: 'nvcr.io/nvidia/pytorch:26.09-py3',
      name: 'pytorch-1',
      gpus: 'all',
      ipc: 'host',
      ulimits: ['memlock=-1', 'stack=67108864'],
      ports: ['127.0.0.1:0:8888'],
      command: ['jupyter', 'lab', '--ip=0.0.0.0', '--port=8888', '--allow-root', '--no-browser'],
      labels: { 'io.mlenv.catalog': 'nvidia/pytorch' },
      interactive: true,
      init: true,
      project: 'default',
    });
    expect(spec.gpus).toEqual({ Driver: '', Count: -1, DeviceIDs: null, Capabilities: [['gpu']], Options: {} });
    expect(spec.ulimits).toEqual([
      { Name: 'memlock', Soft: -1, Hard: -1 },
      { Name: 'stack', Soft: 67108864, Hard: 67108864 },
    ]);
    expect(spec.ports).toEqual([{ containerPort: 8888, protocol: 'tcp', hostPort: 0, hostIp: '127.0.0.1' }]);
    expect(spec.runtime).toBeUndefined();
    expect(spec.exposePorts).toBe(false);
    expect(notes.join(' ')).toContain('All 2 GPUs of the host (--gpus all)');
    expect(notes.join(' ')).toContain('--ipc=host --ulimit memlock=-1 --ulimit stack=67108864');
  });

  it('x86 without a GPU: no GPU request, and a note that says so', () => {
    const { spec, notes } = oneClickSpec(pytorch, x86(0));
    expect(spec.gpus).toBeUndefined();
    expect(spec.runtime).toBeUndefined();
    expect(spec.ipc).toBe('host'); // the framework flags do not depend on GPUs
    expect(notes).toContain('No NVIDIA GPU on this host: the container starts without GPUs.');
  });

  it('an engine whose host GPUs are not known: none asked for, and the user told where to choose', () => {
    const { spec, notes } = oneClickSpec(triton, x86(null));
    expect(spec.gpus).toBeUndefined();
    expect(notes.join(' ')).toMatch(/not known here.*Customise/);
  });

  it('Jetson (arm64): the nvidia runtime instead of --gpus, and the arm64 tag', () => {
    const { spec, tag, notes } = oneClickSpec(l4tPytorch, jetson());
    expect(tag).toBe('r35.2.1-pth2.0-py3');
    expect(spec.runtime).toBe('nvidia');
    expect(spec.gpus).toBeUndefined();
    expect(spec.ipc).toBe('host');
    expect(notes.join(' ')).toContain('--runtime nvidia');
  });

  it('Jetson whose Docker has no nvidia runtime: launched without it, and told how to set it up', () => {
    const { spec, notes } = oneClickSpec(l4tPytorch, jetson({ nvidiaRuntime: false }));
    expect(spec.runtime).toBeUndefined();
    expect(spec.gpus).toBeUndefined();
    expect(notes.join(' ')).toContain('nvidia-ctk runtime configure');
  });

  it('a non-framework image without JupyterLab gets GPUs alone: no --ipc, no ulimits, no port, the image’s own command', () => {
    const { spec, input } = oneClickSpec(triton, x86(1));
    expect(spec.gpus?.Count).toBe(-1);
    expect(input.ipc).toBeUndefined();
    expect(input.ulimits).toBeUndefined();
    expect(input.ports).toBeUndefined();
    expect(input.command).toBeUndefined();
  });
});

describe('oneClickSpec: an engine that cannot grant unlimited locked memory', () => {
  const limited = 'This Docker engine cannot lift the locked-memory limit (memlock), so it is set to 8 MiB, the engine’s own limit; pinned-memory transfers (NCCL, RDMA) may be slower. Run dockerd with a higher LimitMEMLOCK to lift it.';

  it('sets memlock to the engine’s limit, says so once, and the docker run line shows the value used', () => {
    const { input, spec, notes } = oneClickSpec(pytorch, x86(0, { memlockMax: 8 * 1024 ** 2 }));
    expect(input.ulimits).toEqual(['memlock=8388608', 'stack=67108864']);
    expect(spec.ulimits).toEqual([
      { Name: 'memlock', Soft: 8388608, Hard: 8388608 },
      { Name: 'stack', Soft: 67108864, Hard: 67108864 },
    ]);
    expect(notes.filter((n) => n.includes('memlock)'))).toEqual([limited]);
    expect(dockerRunLine(spec)).toContain(' --ipc host --ulimit memlock=8388608 --ulimit stack=67108864 ');
    expect(dockerRunLine(spec)).not.toContain('memlock=-1');
  });

  it('keeps NVIDIA’s memlock=-1, without the note, where unlimited can be granted or the limit is not known', () => {
    const { input, notes } = oneClickSpec(pytorch, x86(0, { memlockMax: null }));
    expect(input.ulimits).toEqual(['memlock=-1', 'stack=67108864']);
    expect(notes.join(' ')).not.toContain('cannot lift the locked-memory limit');
  });

  it('writes the limit as a size a person reads: systemd’s old 64 KiB default, a fraction, none at all', () => {
    const noteOf = (memlockMax: number) => oneClickSpec(pytorch, x86(0, { memlockMax })).notes.find((n) => n.includes('(memlock)'));
    expect(noteOf(65536)).toContain('so it is set to 64 KiB, the engine’s own limit');
    expect(noteOf(1.5 * 1024 ** 3)).toContain('so it is set to 1.5 GiB, the engine’s own limit');
    expect(noteOf(0)).toContain('so it is set to 0 B, the engine’s own limit');
    expect(oneClickSpec(pytorch, x86(0, { memlockMax: 0 })).input.ulimits).toEqual(['memlock=0', 'stack=67108864']);
  });

  it('gives images without NVIDIA’s framework flags no ulimit and no note; ulimits of the user’s own replace both', () => {
    const triton1 = oneClickSpec(triton, x86(1, { memlockMax: 8 * 1024 ** 2 }));
    expect(triton1.input.ulimits).toBeUndefined();
    expect(triton1.notes.join(' ')).not.toContain('memlock');
    const own = oneClickSpec(pytorch, x86(0, { memlockMax: 8 * 1024 ** 2 }), { ulimits: ['memlock=4096', 'nofile=1024'] });
    expect(own.input.ulimits).toEqual(['memlock=4096', 'nofile=1024']);
    expect(own.notes).not.toContain(limited);
    expect(own.notes).toContain('Set by you: ulimits.');
  });
});

describe('oneClickSpec: tags and architectures', () => {
  it('takes the newest tag built for this host’s architecture', () => {
    expect(oneClickSpec(pytorch, x86(0)).tag).toBe('26.09-py3');
    expect(oneClickSpec(pytorch, x86(0, { arch: 'arm64' })).tag).toBe('26.08-py3'); // 26.09 has no arm64 build
    expect(oneClickSpec(pytorch, x86(0, { arch: 'arm64' })).spec.image).toBe('nvcr.io/nvidia/pytorch:26.08-py3');
  });

  it('refuses a tag without this host’s architecture, naming it and a tag that has it', () => {
    const e = refusal(() => oneClickSpec(pytorch, x86(0, { arch: 'arm64' }), {}, '26.09-py3'));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toBe('nvidia/pytorch:26.09-py3 is built for amd64, not for this host\'s arm64: pick a tag built for arm64, such as 26.08-py3');
    const none = refusal(() => oneClickSpec(l4tPytorch, x86(2)));
    expect(none.message).toBe("no tag of nvidia/l4t-pytorch is built for this host's amd64 (its tags are built for arm64)");
  });

  it('refuses a tag the catalog does not know, listing the ones it does', () => {
    const e = refusal(() => oneClickSpec(pytorch, x86(0), {}, '99.99-py3'));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toBe('nvidia/pytorch has no tag "99.99-py3" in the catalog (its tags: 26.09-py3, 26.08-py3, 25.12-py3); if the tag is new, read the tags again from the registry (mlenv catalog tags nvidia/pytorch)');
  });

  it('never offers latest for a framework image, asked or not', () => {
    expect(refusal(() => oneClickSpec(pytorch, x86(0), {}, 'latest')).message).toContain('has no "latest" tag on nvcr.io: pick a release tag such as 26.09-py3');
    const only = refusal(() => oneClickSpec(onlyLatestFramework, x86(0)));
    expect(only.code).toBe('NOT_FOUND');
    expect(only.message).toContain('other than "latest"');
    expect(only.message).toMatch(/: read its tags from the registry \(mlenv catalog tags [^ ]+\)$/);
  });

  it('takes latest for other images, and a tag of unknown architectures with a note', () => {
    const { tag, spec, notes } = oneClickSpec(custom, x86(0));
    expect(tag).toBe('latest');
    expect(spec.image).toBe('127.0.0.1:5000/team/app:latest');
    expect(notes[0]).toContain('The architectures of 127.0.0.1:5000/team/app:latest are not known yet');
    // a known arm64 build is preferred over a newer tag whose architectures are not known
    const mixed = image('nvidia/cuda', { versions: [version('13.1.0-base', []), version('13.0.1-base', ['amd64', 'arm64'])] });
    expect(chooseTag(mixed, 'arm64')).toEqual({ tag: '13.0.1-base', notes: [] });
  });

  it('uses the entry’s pullName, which carries the registry mirror', () => {
    const mirrored = { ...pytorch, pullName: '127.0.0.1:5000/nvidia/pytorch' };
    expect(oneClickSpec(mirrored, x86(0)).spec.image).toBe('127.0.0.1:5000/nvidia/pytorch:26.09-py3');
  });

  it('falls back to the latest tag when no versions are listed', () => {
    const bare = image('nvidia/cuda', { latestTag: '13.0.1-base-ubuntu24.04', architectures: ['amd64'], versions: [] });
    expect(oneClickSpec(bare, x86(0)).tag).toBe('13.0.1-base-ubuntu24.04');
    expect(refusal(() => oneClickSpec(image('nvidia/none', { versions: [] }), x86(0))).code).toBe('NOT_FOUND');
  });
});

describe('oneClickSpec: project folder, names, overrides', () => {
  it('mounts the project folder at /workspace/<folder name> and names the project after it', () => {
    const { spec, input } = oneClickSpec(pytorch, x86(0, { projectDir: '/home/me/My Project' }));
    expect(input.volumes).toEqual(['/home/me/My Project:/workspace/My Project']);
    expect(spec.volumes).toEqual([{ type: 'bind', source: '/home/me/My Project', target: '/workspace/My Project', readOnly: false, mode: '' }]);
    expect(spec.project).toBe('My-Project');
    expect(spec.labels).toEqual({ 'io.mlenv.catalog': 'nvidia/pytorch' });
    const win = oneClickSpec(pytorch, x86(0, { projectDir: 'C:\\Users\\me\\proj' }));
    expect(win.input.volumes).toEqual(['C:\\Users\\me\\proj:/workspace/proj']);
  });

  it('refuses a project folder docker -v cannot carry, or one that is the host itself', () => {
    expect(refusal(() => oneClickSpec(pytorch, x86(0, { projectDir: '/data/a:b' }))).message).toMatch(/^the project folder \/data\/a:b cannot be mounted with docker -v/);
    expect(refusal(() => oneClickSpec(pytorch, x86(0, { projectDir: '/' }))).message).toMatch(/is the root of a file system/);
    expect(refusal(() => oneClickSpec(pytorch, x86(0, { projectDir: 'C:\\' }))).message).toMatch(/is the root of a file system/);
    expect(refusal(() => oneClickSpec(pytorch, x86(0, { projectDir: '/etc' }))).message).toMatch(/^volumes\.0: .*system configuration/);
  });

  it('takes the first free <name>-<n> on the engine', () => {
    expect(oneClickSpec(pytorch, x86(0, { containerNames: ['pytorch-1', '/pytorch-3', 'other'] })).spec.name).toBe('pytorch-2');
    expect(freeName('l4t-pytorch', [])).toBe('l4t-pytorch-1');
    expect(freeName('_x', [])).toBe('x-1');
  });

  it('lets an override replace a default field and drops the notes it makes untrue', () => {
    const { spec, notes } = oneClickSpec(pytorch, x86(2), { gpus: '"device=1"', memory: '8g', cpus: '4' });
    expect(spec.gpus).toMatchObject({ Count: 0, DeviceIDs: ['1'] });
    expect(spec.memory).toBe(8 * 1024 ** 3);
    expect(spec.cpus).toBe(4);
    expect(notes.join(' ')).not.toContain('--gpus all');
    expect(notes).toContain('Set by you: gpus, memory, cpus.');
    expect(oneClickSpec(pytorch, x86(2), { gpus: 'none' }).spec.gpus).toBeNull();
    expect(oneClickSpec(pytorch, x86(2), { name: 'my-torch' }).spec.name).toBe('my-torch');
  });

  it('adds override labels to io.mlenv.catalog, which stays', () => {
    const { spec } = oneClickSpec(pytorch, x86(0), { labels: { 'org.example.team': 'vision', 'io.mlenv.catalog': 'other' } });
    expect(spec.labels).toEqual({ 'org.example.team': 'vision', 'io.mlenv.catalog': 'nvidia/pytorch' });
  });

  it('drops --ipc=host when an override sets a shm size, which the host IPC namespace ignores', () => {
    const { spec, notes } = oneClickSpec(pytorch, x86(0), { shmSize: '16g' });
    expect(spec.ipc).toBeUndefined();
    expect(spec.shmSize).toBe(16 * 1024 ** 3);
    expect(notes.join(' ')).toContain('replaces --ipc=host');
    expect(oneClickSpec(pytorch, x86(0), { shmSize: '16g', ipc: 'host' }).spec.ipc).toBe('host');
  });

  it('refuses an override that does not fit, naming the field', () => {
    const e = refusal(() => oneClickSpec(pytorch, x86(0), { memory: 'lots' }));
    expect(e.message).toMatch(/^memory: "lots" is not a size/);
  });

  it('reads folder and project names from any path', () => {
    expect(folderName('/home/me/work/')).toBe('work');
    expect(folderName('C:\\code\\proj')).toBe('proj');
    expect(projectName('My Project (v2)')).toBe('My-Project-v2');
    expect(projectName('...')).toBe('default');
  });
});
