// The engine's own failures keep its words (ENGINE_ERROR), unlike INTERNAL failures, whose text the
// router hides: reproduced with the error a host without the NVIDIA Container Toolkit gives for --gpus.
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realDocker, TEST_IMAGE, tmpDataDir } from '../../test-support';
import type { App } from '../app';
import { memlockMax, readEngineLimits } from './engine-limits';
import { engineTransport } from './engine-registry';
import { rlimitRefusal, toAppError } from './errors';
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

  // runc 1.1's words on an engine without CAP_SYS_RESOURCE whose memlock hard limit is 8 MiB (`docker run --ulimit memlock=-1`).
  const RUNC_MEMLOCK =
    'failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: error setting rlimits for ready process: error setting rlimit type 8: operation not permitted: unknown';
  const engine500 = (message: string) => Object.assign(new Error(`(HTTP code 500) server error - ${message}`), { statusCode: 500, json: { message } });

  it('says which ulimit the engine could not grant, and the remedy, instead of runc’s rlimit number', () => {
    expect(toAppError(engine500(RUNC_MEMLOCK), 'start pytorch-1', 'local').toBody()).toEqual({
      code: 'ENGINE_ERROR',
      message:
        "start pytorch-1: the engine may not raise the container's memlock limit (locked memory) as far as asked, since its own limit is lower and it cannot lift it (a rootless or restricted dockerd): " +
        "lower --ulimit memlock to at most the engine's, or run dockerd with a higher LimitMEMLOCK (error setting rlimit type 8: operation not permitted)",
    });
  });

  it('names every rlimit by Linux’s numbering (asm-generic/resource.h), in runc’s words and crun’s', () => {
    const said = (type: number) => rlimitRefusal(`error setting rlimits for ready process: error setting rlimit type ${type}: operation not permitted`);
    expect(said(3)).toMatch(/^the engine may not raise the container's stack limit \(stack size\) .*lower --ulimit stack .* a higher LimitSTACK \(/);
    expect(said(7)).toMatch(/^the engine may not raise the container's nofile limit \(open files\) .*lower --ulimit nofile .* a higher LimitNOFILE \(/);
    expect(said(6)).toMatch(/container's nproc limit \(processes\).*LimitNPROC/);
    expect(said(0)).toMatch(/container's cpu limit \(CPU time\).*LimitCPU/);
    expect(said(15)).toMatch(/container's rttime limit \(realtime CPU time\).*LimitRTTIME/);
    // RLIMIT_AS has no --ulimit name in Docker (an OCI spec may still set it).
    expect(said(9)).toMatch(/container's RLIMIT_AS limit \(address space\).*lower that limit .* a higher LimitAS \(/);
    expect(said(42)).toMatch(/^the engine may not raise the container's rlimit type 42 limit as far as asked.*\(error setting rlimit type 42: operation not permitted\)$/);
    // crun (Podman's default runtime): libcrun's "setrlimit `%s`" with strerror.
    expect(rlimitRefusal('crun: setrlimit `RLIMIT_MEMLOCK`: Operation not permitted: OCI permission denied')).toMatch(
      /^the engine may not raise the container's memlock limit \(locked memory\) .*LimitMEMLOCK \(setrlimit `RLIMIT_MEMLOCK`: Operation not permitted\)$/,
    );
  });

  it('leaves other rlimit failures and messages as they are', () => {
    // EINVAL (soft above hard) is not the engine's limit.
    expect(rlimitRefusal('error setting rlimit type 8: invalid argument')).toBeNull();
    expect(rlimitRefusal('OCI runtime create failed: nvidia-container-cli: initialization error')).toBeNull();
    expect(toAppError(engine500('error setting rlimit type 8: invalid argument'), 'start x', 'local').message).toBe('start x: the engine failed: error setting rlimit type 8: invalid argument');
    // Without an engine answer nothing is translated (INTERNAL keeps its text from the user).
    expect(toAppError(new Error('error setting rlimit type 8: operation not permitted'), 'start x', 'local').code).toBe('INTERNAL');
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
    const launch = () => app.router.dispatch('containers.launch', { image: TEST_IMAGE, gpus: 'all', command: ['true'], labels: testLabels });
    // Admission stops it first where nvidia-smi finds no GPU (as here)…
    const gpus = app.sampler.latest()?.gpus ?? [];
    if (!gpus.length) expect(await launch()).toMatchObject({ ok: false, error: { code: 'ADMISSION_REJECTED', message: expect.stringMatching(/^Refused: Every GPU asked for; this machine has no NVIDIA GPU/) } });
    // …so, to reach the engine, the GPU checks only audit here: what is under test is the engine's own refusal.
    await app.router.dispatch('admission.setPolicy', { patch: { checks: { gpu_exists: 'audit', gpu_free: 'audit', gpu_memory: 'audit' } } });
    try {
      expect(await launch()).toMatchObject({ ok: false, error: { code: 'ENGINE_ERROR', message: expect.stringMatching(/could not select device driver .* with capabilities: \[\[gpu\]\]/) } });
    } finally {
      await app.router.dispatch('admission.setPolicy', { patch: { checks: { gpu_exists: null, gpu_free: null, gpu_memory: null } } });
    }
  });

  it('says which ulimit it is when the engine cannot grant memlock=-1 (a dockerd without CAP_SYS_RESOURCE, as here)', async (ctx) => {
    const max = memlockMax(readEngineLimits(engineTransport(docker as Docker).socketPath));
    if (max === null) ctx.skip(); // an engine that grants unlimited memlock starts it: nothing to reproduce
    const r = await app.router.dispatch('containers.launch', { image: TEST_IMAGE, ulimits: ['memlock=-1'], command: ['true'], labels: testLabels });
    expect(r).toMatchObject({ ok: false, error: { code: 'ENGINE_ERROR', message: expect.stringMatching(/: the engine may not raise the container's memlock limit \(locked memory\) .*LimitMEMLOCK \(/) } });
    // Within the engine's limit the same launch starts.
    const ok = await app.router.dispatch('containers.launch', { image: TEST_IMAGE, ulimits: [`memlock=${max}`], command: ['sleep', '30'], labels: testLabels });
    expect(ok).toMatchObject({ ok: true, value: { state: 'running', ulimits: [{ Name: 'memlock', Soft: max, Hard: max }] } });
  });
});
