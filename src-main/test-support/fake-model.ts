// A fake model server for the tier tests and benchmarks, made from the test image: it fills N MiB of
// its /dev/shm at start (charged to its memory cgroup, like loading weights), then answers
// OpenAI-style requests (fake-model/serve.sh). Its scripts are bind-mounted read-only. No vitest
// here: the benchmarks use it too.
import path from 'node:path';
import type { ModelSpecInput } from '@shared/contract';

/** The scripts' folder, from the project root (the tests' and `npm run bench`'s working directory). */
export const fakeModelDir = (root = process.cwd()): string => path.join(root, 'src-main', 'test-support', 'fake-model');
export const FAKE_MODEL_PORT = 8000;
const MIB = 2 ** 20;

/**
 * A models.add spec for a fake model `name` on `image` (the test image) holding `mib` MiB (declared
 * as `declaredMib`, default mib + 8: the server's own few MiB on top), labelled `labels` for cleanup
 * (the test run's).
 */
export function fakeModelSpec(
  name: string,
  opts: { image: string; labels: Record<string, string>; mib: number; declaredMib?: number; capabilities?: string[]; quality?: number; speed?: number; pinned?: boolean },
): ModelSpecInput {
  return {
    name,
    launch: {
      image: opts.image,
      init: true,
      // Above the fill, so that /dev/shm can hold it.
      shmSize: `${opts.mib + 16}m`,
      env: [`MODEL=${name}`, `FILL_MIB=${opts.mib}`, `PORT=${FAKE_MODEL_PORT}`],
      volumes: [`${fakeModelDir()}:/srv:ro`],
      command: ['sh', '/srv/start.sh'],
      labels: opts.labels,
      pull: 'never',
    },
    capabilities: opts.capabilities ?? ['text-generation', 'chat'],
    quality: opts.quality ?? 0.5,
    speed: opts.speed ?? 0.5,
    port: FAKE_MODEL_PORT,
    probe: { kind: 'http', path: '/health' },
    declaredBytes: (opts.declaredMib ?? opts.mib + 8) * MIB,
    pinned: opts.pinned ?? false,
    readyTimeoutMs: 30_000,
  };
}
