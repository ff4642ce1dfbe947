// The engine's own failures keep its words (ENGINE_ERROR), unlike INTERNAL failures, whose text the
// router hides: reproduced with the error a host without the NVIDIA Container Toolkit gives for --gpus.
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realDocker, TEST_IMAGE, tmpDataDir } from '../../test-support';
import type { App } from '../app';
import { toAppError } from './errors';
import { removeTestContainers, startApp, testLabels } from '../../test-support/docker-app';

const docker = await realDocker();

describe('engine errors', () => {
  it('maps engine answers by status, and only a failure without one to INTERNAL', () => {
    const engine = (statusCode: number, message: string) => Object.assign(new Error(`(HTTP code ${statusCode}) server error - ${message}`), { statusCode, json: { message } });
    expect(toAppError(engine(500, 'OCI runtime create failed: nvidia-container-cli: initialization error: nvml error: driver not loaded'), 'starting x', 'local').toBody()).toEqual({
      code: 'ENGINE_ERROR',
      message: 'starting x: the engine failed: OCI runtime create failed: nvidia-container-cli: initialization error: nvml error: driver not loaded',
    });
    expect(toAppError(engine(403, 'authorization denied by plugin opa: request rejected'), 'starting x', 'local').toBody()).toEqual({
      code: 'ENGINE_ERROR',
      message: 'starting x: the engine answered 403: authorization denied by plugin opa: request rejected',
    });
    expect(toAppError(engine(500, 'Bind for 0.0.0.0:8888 failed: port is already allocated'), 'starting x', 'local').code).toBe('CONFLICT');
    expect(toAppError(new TypeError("Cannot read properties of undefined (reading 'Id')"), 'starting x', 'local').code).toBe('INTERNAL');
  });
});

describe.skipIf(!docker)('engine errors on the real engine', () => {
  let app: App;
  beforeAll(async () => {
    app = await startApp(tmpDataDir(), docker as Docker);
  });
  afterAll(async () => {
    await removeTestContainers(docker as Docker);
    await app?.dispose();
  });

  it("reaches the caller with the engine's words when --gpus cannot be served (no NVIDIA runtime here)", async (ctx) => {
    const info = (await (docker as Docker).info()) as { Runtimes?: Record<string, unknown> };
    if (info.Runtimes?.nvidia) ctx.skip(); // a GPU host starts it: nothing to reproduce
    const r = await app.router.dispatch('containers.launch', { image: TEST_IMAGE, gpus: 'all', command: ['true'], labels: testLabels });
    expect(r).toMatchObject({ ok: false, error: { code: 'ENGINE_ERROR', message: expect.stringMatching(/could not select device driver .* with capabilities: \[\[gpu\]\]/) } });
  });
});
