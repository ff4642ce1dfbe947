// Models for the renderer's tiers tests, in the contract's shape.
import type { Model } from '@shared/contract';

const GiB = 1024 ** 3;

/** A cold model of 1 GiB declared, nothing measured; `over` sets the rest. */
export const model = (name: string, over: Partial<Model> = {}): Model => ({
  name,
  image: 'mlenv-test/busybox:latest',
  launch: { image: 'mlenv-test/busybox:latest', project: 'default', pull: 'missing', start: true, exposePorts: false, allowDangerousMounts: false },
  catalog: null,
  capabilities: ['text-generation'],
  quality: 0.5,
  speed: 0.5,
  port: 8080,
  probe: { kind: 'tcp' },
  declaredBytes: GiB,
  measuredBytes: null,
  footprintBytes: GiB,
  pinned: false,
  preferredTier: null,
  readyTimeoutMs: 120_000,
  tier: 'cold',
  movingJobId: null,
  containerId: null,
  hostPort: null,
  predictedWake: { ms: 2000, lowMs: 1500, highMs: 3000, samples: 0 },
  lastUsedAt: null,
  inFlight: 0,
  createdAt: 1,
  updatedAt: 1,
  ...over,
});
