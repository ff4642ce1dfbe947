// The tier manager's pure parts: swap support from the host's facts, limits against the host, what
// verification accepts after each move, container names, scaling event types, and the launch spec
// and secret handling of a model.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelSpecSchema, type TierLimits } from '@shared/contract';
import { MASKED_VALUE } from '@shared/secret-env';
import type { SecretStore } from '../docker/secrets';
import { applyLimits, defaultLimits, maxRamBudget } from './limits';
import { launchFor, resolveSource, specAtRest, specFromRest } from './model-spec';
import { containerNameFor } from './names';
import { scalingEventType } from './records';
import { parseSwapTotal, swapSupport } from './swap';
import { verifySwap, verifyTier } from './verify';

const GIB = 2 ** 30;
const MIB = 2 ** 20;

describe('swap support', () => {
  it('reads SwapTotal from /proc/meminfo (kB, proc(5)); this machine has none', () => {
    expect(parseSwapTotal(readFileSync(path.join(__dirname, 'fixtures/meminfo-no-swap.txt'), 'utf8'))).toBe(0);
    expect(parseSwapTotal('MemTotal:       24683148 kB\nSwapTotal:       2097148 kB\nSwapFree:        2097148 kB\n')).toBe(2097148 * 1024);
    expect(parseSwapTotal('MemTotal: 1 kB\n')).toBe(0);
  });

  it('is supported only with swap space, cgroup v2 memory.reclaim this process may write, and swap accounting not set to 0; otherwise says why', () => {
    const v2 = { cgroupVersion: 2, swapTotalBytes: GIB, containersCgroup: '/system.slice', reclaimFile: true, reclaimWritable: true, swapMax: 'max' } as const;
    const none = swapSupport({ cgroupVersion: 1, swapTotalBytes: 0, reclaimFile: false });
    expect(none).toMatchObject({ supported: false, method: null });
    expect(none.reason).toMatch(/cgroup v1 and no swap space/);
    expect(swapSupport({ ...v2, swapTotalBytes: 0 }).supported).toBe(false);
    expect(swapSupport({ cgroupVersion: 1, swapTotalBytes: GIB, reclaimFile: false }).reason).toBe('cgroup v1: MLEnv pushes memory to swap only through cgroup v2 memory.reclaim');
    expect(swapSupport({ ...v2, reclaimFile: false }).reason).toMatch(/without memory.reclaim/);
    expect(swapSupport({ ...v2, swapMax: null }).reason).toMatch(/no swap accounting/);
    expect(swapSupport({ ...v2, swapMax: 0 }).reason).toMatch(/memory.swap.max of \/system.slice is 0/);
    expect(swapSupport({ ...v2, reclaimWritable: false }).reason).toMatch(/may not write \/system.slice\/memory.reclaim/);
    expect(swapSupport(v2)).toMatchObject({ supported: true, method: 'memory.reclaim' });
  });
});

describe('limits', () => {
  const host = { totalBytes: 24 * GIB, swapTotalBytes: 0 };
  const base: TierLimits = defaultLimits(host);

  it('default to what the host allows: physical memory less the 4 GiB admission floor, a 1 GiB margin', () => {
    expect(maxRamBudget(host)).toBe(20 * GIB);
    expect(base).toMatchObject({ ramBudgetBytes: 20 * GIB, swapBudgetBytes: 0, safetyMarginBytes: GIB, maxRamBudgetBytes: 20 * GIB });
    expect(maxRamBudget({ totalBytes: 2 * GIB, swapTotalBytes: 0 })).toBe(0);
  });

  it('change while running within the host, and are refused beyond it with the numbers', () => {
    expect(applyLimits(base, { ramBudgetBytes: 8 * GIB, idleDemoteSeconds: null }, host)).toMatchObject({ ramBudgetBytes: 8 * GIB, idleDemoteSeconds: null, safetyMarginBytes: GIB });
    expect(applyLimits(base, { ramBudgetBytes: 20 * GIB }, host).ramBudgetBytes).toBe(20 * GIB);
    expect(() => applyLimits(base, { ramBudgetBytes: 20 * GIB + 1 }, host)).toThrow(/24\.0 GiB of memory minus the 4\.0 GiB admission keeps free is 20\.0 GiB/);
    expect(() => applyLimits(base, { swapBudgetBytes: GIB }, host)).toThrow(/this host has no swap space/);
    expect(() => applyLimits(base, { ramBudgetBytes: GIB, safetyMarginBytes: GIB }, host)).toThrow(/leaves nothing/);
  });
});

describe('verification', () => {
  const loaded = { usageBytes: 64 * MIB, peakBytes: 70 * MIB };

  it('warm: frozen with its memory kept', () => {
    expect(verifyTier('warm', { ...loaded, freezer: 'thawed' }, { ...loaded, freezer: 'frozen' })).toMatchObject({ ok: true, text: 'freezer FROZEN, 64.0 MiB of 64.0 MiB kept' });
    expect(verifyTier('warm', loaded, { ...loaded, freezer: 'freezing' })).toMatchObject({ ok: false, text: 'the freezer is FREEZING, not FROZEN' });
    expect(verifyTier('warm', loaded, { usageBytes: 10 * MIB, freezer: 'frozen' }).ok).toBe(false);
    expect(verifyTier('warm', loaded, null)).toMatchObject({ ok: false });
  });

  it('hot: running thawed; from warm its memory kept (resumed, not reloaded)', () => {
    expect(verifyTier('hot', null, { ...loaded, freezer: 'thawed' }, 'cold').ok).toBe(true);
    expect(verifyTier('hot', loaded, { ...loaded, freezer: 'thawed' }, 'warm').ok).toBe(true);
    expect(verifyTier('hot', loaded, { usageBytes: MIB, freezer: 'thawed' }, 'warm').ok).toBe(false);
    expect(verifyTier('hot', loaded, { ...loaded, freezer: 'frozen' }, 'warm')).toMatchObject({ ok: false, text: 'the freezer is FROZEN, not THAWED' });
    expect(verifyTier('hot', null, null, 'cold').ok).toBe(false);
  });

  it('swap: frozen, at least half of its memory out of RAM (memory.current) and swap risen (memory.swap.current)', () => {
    const paused = { usageBytes: 64 * MIB, swapBytes: 0, freezer: 'frozen' } as const;
    expect(verifySwap(paused, { usageBytes: 8 * MIB, swapBytes: 56 * MIB, freezer: 'frozen' })).toEqual({
      ok: true,
      text: 'freezer FROZEN, 56.0 MiB of 64.0 MiB pushed out (memory.current 64.0 MiB → 8.0 MiB, memory.swap.current 0 B → 56.0 MiB)',
    });
    expect(verifySwap(paused, { usageBytes: 8 * MIB, swapBytes: 56 * MIB, freezer: 'thawed' })).toMatchObject({ ok: false, text: 'the freezer is THAWED, not FROZEN' });
    // Less than half left RAM: it is a paused model that kept most of its memory.
    expect(verifySwap(paused, { usageBytes: 40 * MIB, swapBytes: 24 * MIB, freezer: 'frozen' })).toMatchObject({ ok: false, text: expect.stringMatching(/^only 24\.0 MiB of 64\.0 MiB left RAM/) });
    // Only cache dropped: memory.current fell, nothing reached swap.
    expect(verifySwap(paused, { usageBytes: 8 * MIB, swapBytes: 0, freezer: 'frozen' })).toMatchObject({ ok: false, text: expect.stringMatching(/^nothing reached swap/) });
    // A kernel that does not count the cgroup's swap cannot show it.
    expect(verifySwap({ usageBytes: 64 * MIB, freezer: 'frozen' }, { usageBytes: 8 * MIB, freezer: 'frozen' })).toMatchObject({ ok: false, text: expect.stringMatching(/no memory\.swap\.current/) });
    expect(verifySwap(paused, null).ok).toBe(false);
  });

  it('cold: its cgroup gone or empty', () => {
    expect(verifyTier('cold', loaded, null)).toMatchObject({ ok: true, text: 'cgroup gone: 64.0 MiB freed' });
    expect(verifyTier('cold', loaded, { usageBytes: 0 }).ok).toBe(true);
    expect(verifyTier('cold', loaded, { usageBytes: MIB })).toMatchObject({ ok: false });
  });
});

describe('names and records', () => {
  it('names a model container by Docker’s rule, distinct for names that differ only in characters Docker refuses', () => {
    expect(containerNameFor('llama3-8b')).toBe('mlenv-model-llama3-8b');
    const a = containerNameFor('meta/llama:8b');
    const b = containerNameFor('meta-llama-8b');
    expect(a).toMatch(/^mlenv-model-meta-llama-8b-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
  });

  it('types every scaling event by who asked and which way it went', () => {
    expect(scalingEventType({ trigger: 'user', from: 'cold', to: 'hot' }, false)).toBe('manual_scale');
    expect(scalingEventType({ trigger: 'cli', from: 'hot', to: 'cold' }, false)).toBe('manual_scale');
    expect(scalingEventType({ trigger: 'idle', from: 'hot', to: 'warm' }, false)).toBe('auto_scale_triggered');
    expect(scalingEventType({ trigger: 'optimiser', from: 'cold', to: 'warm' }, false)).toBe('auto_scale_triggered');
    expect(scalingEventType({ trigger: 'ensure', from: 'warm', to: 'hot' }, false)).toBe('scale_up');
    expect(scalingEventType({ trigger: 'ensure', from: 'hot', to: 'cold' }, false)).toBe('scale_down');
    expect(scalingEventType({ trigger: 'hot-load', from: 'cold', to: 'hot' }, false)).toBe('scale_up');
    expect(scalingEventType({ trigger: 'ensure', from: 'cold', to: 'hot' }, true)).toBe('scale_cancelled');
  });
});

describe('a model’s launch spec and secrets', () => {
  const spec = modelSpecSchema.parse({
    name: 'meta/llama:8b',
    launch: { image: 'example/llm:1', ports: ['8000', '127.0.0.1:9000:9000'], env: ['HF_TOKEN=hf_secret', 'MODE=fast'], labels: { 'org.example.k': 'v' } },
    capabilities: ['text-generation'],
    port: 8000,
    probe: { kind: 'http', path: '/health' },
    declaredBytes: '8g',
  });

  it('runs on the local engine, named and labelled for the model, its port on 127.0.0.1 only, probed', () => {
    const l = launchFor(spec);
    expect(l.name).toBe(containerNameFor('meta/llama:8b'));
    expect(l.labels).toMatchObject({ 'io.mlenv.model': 'meta/llama:8b', 'org.example.k': 'v' });
    expect(l.ports).toEqual([
      { containerPort: 9000, protocol: 'tcp', hostPort: 9000, hostIp: '127.0.0.1' },
      { containerPort: 8000, protocol: 'tcp', hostPort: 0, hostIp: '127.0.0.1' },
    ]);
    expect(l.probe).toEqual({ kind: 'http', port: 8000, path: '/health' });
    expect(l.start).toBe(true);
    expect(spec.declaredBytes).toBe(8 * GIB);
    expect(() => launchFor({ ...spec, launch: { ...spec.launch!, engine: 'gpu-box' } })).toThrow(/local engine/);
  });

  it('resolves a catalog entry to its pullName and tag; an unknown one is NOT_FOUND', async () => {
    const fromCatalog = modelSpecSchema.parse({ name: 'triton', catalog: { repository: 'nvidia/tritonserver', tag: '24.05-py3' }, capabilities: ['text-generation'], port: 8000, declaredBytes: GIB });
    const r = await resolveSource(fromCatalog, async (repo) => (repo === 'nvidia/tritonserver' ? { pullName: 'nvcr.io/nvidia/tritonserver' } : undefined));
    expect(r.launch?.image).toBe('nvcr.io/nvidia/tritonserver:24.05-py3');
    await expect(resolveSource({ ...fromCatalog, catalog: { repository: 'nope/x', tag: 'latest' } }, async () => undefined)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(modelSpecSchema.safeParse({ name: 'x', capabilities: ['a'], port: 1, declaredBytes: 1 }).success).toBe(false);
    expect(modelSpecSchema.safeParse({ name: 'auto', launch: { image: 'a' }, capabilities: ['a'], port: 1, declaredBytes: 1 }).success).toBe(false);
  });

  it('keeps secret env values out of the spec at rest, and reads them back from the secret store', () => {
    const store = new Map<string, string>();
    const secrets: SecretStore = { kind: 'memory', backend: 'file', get: (k) => store.get(k), set: (k, v) => void store.set(k, v), delete: (k) => store.delete(k) };
    const rest = specAtRest(spec, secrets);
    expect(JSON.stringify(rest)).not.toContain('hf_secret');
    expect(rest.launch!.env).toEqual([
      { key: 'HF_TOKEN', value: MASKED_VALUE },
      { key: 'MODE', value: 'fast' },
    ]);
    expect(specFromRest(rest, secrets)).toEqual({ spec, missing: [] });
    store.clear();
    expect(specFromRest(rest, secrets).missing).toEqual(['HF_TOKEN']);
  });
});
