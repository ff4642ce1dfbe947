// The one-click defaults as the engine receives them: the create body of an NGC framework image on a
// GPU host carries the DeviceRequests, IpcMode and Ulimits the docker CLI sends for NVIDIA's
// `--gpus all --ipc=host --ulimit memlock=-1 --ulimit stack=67108864` (recorded fixture), and a
// Jetson launch the nvidia runtime instead. (The engine here has no NVIDIA runtime, so a real GPU
// launch is not possible in this suite; the integration test runs the host-without-GPU plan.)
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CatalogImage } from '@shared/contract';
import { dockerRunLine } from '@shared/docker-run-line';
import { oneClickSpec, type HostFacts } from '@shared/one-click';
import { buildCreateOptions } from '../docker/create-options';

const recorded = JSON.parse(readFileSync(new URL('../docker/fixtures/docker-create-gpu-all.json', import.meta.url), 'utf8')) as { HostConfig: Record<string, unknown> };

const version = (tag: string) => ({ tag, compressedSize: null, sizeEstimated: false, updatedAt: null, updatedAtEstimated: false, architectures: ['amd64', 'arm64'] as const, variants: [], signed: null });
const entry = (repository: string, over: Partial<CatalogImage>): CatalogImage =>
  ({
    repository, registry: 'nvcr.io', pullName: `nvcr.io/${repository}`, name: repository.split('/').at(-1)!, displayName: repository, summary: '', description: '', publisher: 'NVIDIA',
    org: 'nvidia', team: null, categories: [], labels: [], source: 'seed', gated: false, jupyterLab: false, framework: false, jetson: false, latestTag: null, compressedSize: null,
    sizeEstimated: false, updatedAt: null, updatedAtEstimated: false, architectures: ['amd64', 'arm64'], popularity: 0, logo: null, webUrl: null, versions: [], fetchedAt: 0, ...over,
  }) as CatalogImage;
const pytorch = entry('nvidia/pytorch', { framework: true, jupyterLab: true, versions: [{ ...version('25.12-py3'), architectures: ['amd64', 'arm64'] }] });
const host = (over: Partial<HostFacts>): HostFacts => ({ arch: 'amd64', gpuCount: 2, jetson: false, projectDir: '/home/me/work', containerNames: [], memlockMax: null, ...over });

describe('one-click launch → create body', () => {
  it('sends, on a GPU host, what the docker CLI sends for NVIDIA’s recommended flags', () => {
    const { spec } = oneClickSpec(pytorch, host({}));
    const body = buildCreateOptions(spec);
    const hc = body.HostConfig as Record<string, unknown>;
    for (const field of ['DeviceRequests', 'IpcMode', 'Ulimits'] as const) expect(hc[field], field).toStrictEqual(recorded.HostConfig[field]);
    expect(JSON.parse(JSON.stringify(hc.DeviceRequests))).toEqual([{ Driver: '', Count: -1, DeviceIDs: null, Capabilities: [['gpu']], Options: {} }]);
    expect(hc.PortBindings).toEqual({ '8888/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] });
    expect(hc.Binds).toEqual(['/home/me/work:/workspace/work']);
    expect(hc.Runtime).toBeUndefined();
    expect(hc.Init).toBe(true);
    expect(body).toMatchObject({
      name: 'pytorch-1',
      Image: 'nvcr.io/nvidia/pytorch:25.12-py3',
      Cmd: ['jupyter', 'lab', '--ip=0.0.0.0', '--port=8888', '--allow-root', '--no-browser'],
      Tty: true,
      OpenStdin: true,
      ExposedPorts: { '8888/tcp': {} },
      Labels: { 'io.mlenv.catalog': 'nvidia/pytorch', 'io.mlenv.managed': 'true', 'io.mlenv.project': 'work' },
    });
    expect(dockerRunLine(spec)).toBe(
      'docker run -d --name pytorch-1 -it --init --gpus all --ipc host --ulimit memlock=-1 --ulimit stack=67108864 -p 127.0.0.1::8888 -v /home/me/work:/workspace/work ' +
        '--label io.mlenv.catalog=nvidia/pytorch --label io.mlenv.managed=true --label io.mlenv.project=work nvcr.io/nvidia/pytorch:25.12-py3 jupyter lab --ip=0.0.0.0 --port=8888 --allow-root --no-browser',
    );
  });

  it('sends the nvidia runtime and no DeviceRequests on a Jetson, and neither on a host without GPUs', () => {
    const jetson = buildCreateOptions(oneClickSpec(pytorch, host({ arch: 'arm64', gpuCount: 0, jetson: true, nvidiaRuntime: true })).spec).HostConfig as Record<string, unknown>;
    expect(jetson.Runtime).toBe('nvidia');
    expect(jetson.DeviceRequests).toBeUndefined();
    const none = buildCreateOptions(oneClickSpec(pytorch, host({ gpuCount: 0 })).spec).HostConfig as Record<string, unknown>;
    expect(none.Runtime).toBeUndefined();
    expect(none.DeviceRequests).toBeUndefined();
    expect(none.IpcMode).toBe('host');
  });
});
