// Synthetic model libraries for the tier planner's tests and bench: a seeded PRNG (mulberry32) so
// every run sees the same "random" models, and a generator of plausible ModelState rows.
import type { ModelState, Tier } from '../core/tiers/plan/types';

/** mulberry32: a small seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box–Muller) from `rng`. */
export function gaussian(rng: () => number): number {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export const GIB = 2 ** 30;
const CAPABILITIES = ['text-generation', 'embedding', 'asr', 'vision', 'rerank'];

/** One model with sensible defaults (cold, unused, 1 GiB), overridden by `over`. */
export function model(name: string, over: Partial<ModelState> = {}): ModelState {
  return {
    name,
    tier: 'cold',
    footprintBytes: GIB,
    measured: true,
    pinned: false,
    capabilities: ['text-generation'],
    quality: 0.5,
    speed: 0.5,
    lastUsedAt: 0,
    usageScore: 0,
    enteredTierAt: 0,
    serving: 0,
    ...over,
  };
}

/**
 * `n` models of 0.25–8 GiB spread over the tiers so that the hot and warm ones together hold about
 * `ramBytes`, with random capabilities, scores and usage as of `now` (epoch ms). Deterministic for a seed.
 */
export function syntheticLibrary(n: number, seed: number, now: number, ramBytes: number): ModelState[] {
  const rng = mulberry32(seed);
  const models: ModelState[] = [];
  let ram = 0;
  for (let i = 0; i < n; i++) {
    const footprintBytes = Math.round((0.25 + rng() * 7.75) * GIB);
    const r = rng();
    let tier: Tier = r < 0.15 ? 'hot' : r < 0.3 ? 'warm' : r < 0.4 ? 'swap' : 'cold';
    if ((tier === 'hot' || tier === 'warm') && ram + footprintBytes > ramBytes) tier = 'cold';
    if (tier === 'hot' || tier === 'warm') ram += footprintBytes;
    const caps = CAPABILITIES.filter(() => rng() < 0.4);
    models.push(
      model(`model-${String(i).padStart(3, '0')}`, {
        tier,
        footprintBytes,
        measured: rng() < 0.7,
        pinned: rng() < 0.03,
        capabilities: caps.length ? caps : ['text-generation'],
        quality: rng(),
        speed: rng(),
        lastUsedAt: now - Math.round(rng() * 4 * 3_600_000),
        usageScore: rng() * 5,
        enteredTierAt: now - Math.round(rng() * 3_600_000),
        serving: tier === 'hot' && rng() < 0.1 ? 1 : 0,
      }),
    );
  }
  return models;
}

/** The library after running `moves` in order at `now` (each moved model enters its new tier then). Throws when a move's `from` is not the model's tier. */
export function applyMoves(models: readonly ModelState[], moves: readonly { model: string; from: Tier; to: Tier }[], now: number): ModelState[] {
  const byName = new Map(models.map((m) => [m.name, { ...m }]));
  for (const mv of moves) {
    const m = byName.get(mv.model);
    if (!m) throw new Error(`move for unknown model ${mv.model}`);
    if (m.tier !== mv.from) throw new Error(`move ${mv.model} ${mv.from}→${mv.to} but it is ${m.tier}`);
    m.tier = mv.to;
    m.enteredTierAt = now;
  }
  return models.map((m) => byName.get(m.name)!);
}

/** Bytes in the hot and warm tiers. */
export function ramOf(models: readonly ModelState[]): number {
  return models.reduce((s, m) => s + (m.tier === 'hot' || m.tier === 'warm' ? m.footprintBytes : 0), 0);
}
