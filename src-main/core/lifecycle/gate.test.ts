// The gate holds: nothing but the lifecycle service (core/lifecycle) creates, starts, unpauses or
// restarts a container. Dockerode hands out a container handle in two ways only (getContainer,
// createContainer; `docker.run` creates and starts in one), and the raw Engine API paths name the
// operations; everywhere else a container is a ContainerHandle (core/docker/container-handle.ts),
// whose type has no start, unpause or restart. The scan below finds every other way in.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { containerHandle } from '../docker/container-handle';

const ROOT = path.resolve(__dirname, '../../..');

interface Rule {
  id: string;
  pattern: RegExp;
  /** Where the pattern may appear (path prefixes, relative to the repository). */
  allowedIn: string[];
  why: string;
}

const GATE = 'src-main/core/lifecycle/';
const HANDLE = 'src-main/core/docker/container-handle.ts';

const RULES: Rule[] = [
  { id: 'createContainer', pattern: /\.createContainer\s*\(/, allowedIn: [GATE], why: 'creates a container' },
  { id: 'getContainer', pattern: /\.getContainer\s*\(/, allowedIn: [GATE, HANDLE], why: 'hands out a handle that can start, unpause and restart: use containerHandle()' },
  { id: 'docker.run', pattern: /\bdocker\.run\s*\(/, allowedIn: [], why: "dockerode's run creates and starts" },
  { id: 'new Container', pattern: /new\s+(?:Docker\.)?Container\s*\(/, allowedIn: [], why: 'builds a container handle by hand' },
  {
    id: 'engine API path',
    pattern: /['"`/]containers\/(?:create\b|[^'"`\s]*\/(?:start|unpause|restart)\b)/,
    allowedIn: [],
    why: 'calls the Engine API to create, start, unpause or restart',
  },
  { id: 'mutating handle', pattern: /\.(?:start|unpause|restart)\s*\(/, allowedIn: [], why: 'the handle adapter must not start, unpause or restart' },
];
/** The last rule applies to the handle adapter only (elsewhere .start() is a sampler's, a monitor's…). */
const appliesTo = (rule: Rule, file: string) => (rule.id === 'mutating handle' ? file === HANDLE : true);

/** Files exempt from the scan: tests and their support set up fixtures (containers the app did not create) straight on the engine. */
const isTestSupport = (file: string) =>
  /\.test\.ts$/.test(file) ||
  file.startsWith('src-main/test-support/');

/** Other files allowed one rule each, and why. */
const ALLOWED: { file: string; rule: string; why: string }[] = [
  { file: 'bench/figures/docker.ts', rule: 'createContainer', why: '50 stopped containers for the list figure (the launch measured goes through the gate)' },
  { file: 'bench/figures/docker.ts', rule: 'getContainer', why: "removes the bench's containers" },
  { file: 'bench/figures/sampler.ts', rule: 'createContainer', why: 'busy containers for the sampler figure' },
  { file: 'bench/figures/sampler.ts', rule: 'getContainer', why: "removes the bench's containers" },
  { file: 'bench/figures/tiers.ts', rule: 'getContainer', why: "the bare Engine API pause/unpause baseline of tiers.warm_to_hot_ms_p50, and removes the bench's containers" },
];

/** Every place in `text` (the source of `file`, relative to the repository) that gets past the gate: "file:line rule — why". */
function gateViolations(file: string, text: string): string[] {
  if (isTestSupport(file)) return [];
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (/^\s*(?:\/\/|\/?\*)/.test(line)) return; // a comment line: words about the API, not calls
    for (const rule of RULES) {
      if (!appliesTo(rule, file) || !rule.pattern.test(line)) continue;
      if (rule.allowedIn.some((p) => file.startsWith(p))) continue;
      if (ALLOWED.some((a) => a.file === file && a.rule === rule.id)) continue;
      out.push(`${file}:${i + 1} ${rule.id} — ${rule.why}`);
    }
  });
  return out;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) return f === 'node_modules' || f === 'fixtures' ? [] : sources(p);
    return /\.(ts|mts|cts|js|mjs|cjs)$/.test(f) ? [p] : [];
  });
}
const rel = (p: string) => path.relative(ROOT, p).split(path.sep).join('/');
const FILES = ['src-main', 'bench'].flatMap((d) => sources(path.join(ROOT, d))).map((p) => ({ file: rel(p), text: readFileSync(p, 'utf8') }));

describe('the lifecycle gate', () => {
  it('is the only code that creates, starts, unpauses or restarts a container', () => {
    expect(FILES.length).toBeGreaterThan(50);
    expect(FILES.flatMap((f) => gateViolations(f.file, f.text))).toEqual([]);
  });

  it('finds what it guards where it is: the gate creates and starts, the adapter hands out handles', () => {
    const gate = FILES.filter((f) => f.file.startsWith(GATE) && !isTestSupport(f.file)).map((f) => f.text).join('\n');
    expect(gate).toMatch(/\.createContainer\(/);
    expect(gate).toMatch(/\.getContainer\(/);
    expect(FILES.find((f) => f.file === HANDLE)?.text).toMatch(/\.getContainer\(/);
  });

  it('keeps no stale allowances: each names a file that still does what it is allowed', () => {
    for (const a of ALLOWED) {
      const text = existsSync(path.join(ROOT, a.file)) ? readFileSync(path.join(ROOT, a.file), 'utf8') : '';
      expect(RULES.find((r) => r.id === a.rule)!.pattern.test(text), `${a.file}: ${a.rule}`).toBe(true);
    }
    // Test support lives only under src-main/test-support/: none left in a production folder.
    expect(FILES.map((f) => f.file).filter((f) => /(?:^|\/)(?:test-helpers|[\w-]*fixture)\.ts$/.test(f) && !isTestSupport(f))).toEqual([]);
  });

  it('flags each way past the gate, and only those', () => {
    const flagged = (file: string, line: string) => gateViolations(file, line).map((v) => v.replace(/^\S+ /, '').replace(/ —.*/, ''));
    const elsewhere = 'src-main/core/tiers/mover.ts';
    expect(flagged(elsewhere, 'await engine.docker.getContainer(id).start();')).toEqual(['getContainer']);
    expect(flagged(elsewhere, 'const c = await docker.createContainer(opts);')).toEqual(['createContainer']);
    expect(flagged(elsewhere, "await docker.run('busybox', ['true'], process.stdout);")).toEqual(['docker.run']);
    expect(flagged(elsewhere, 'const c = new Docker.Container(docker.modem, id);')).toEqual(['new Container']);
    expect(flagged(elsewhere, "docker.modem.dial({ path: '/containers/abc/start?', method: 'POST' }, cb);")).toEqual(['engine API path']);
    expect(flagged(elsewhere, 'await fetch(`http://d/v1.43/containers/${id}/restart`, { method: "POST" });')).toEqual(['engine API path']);
    expect(flagged(elsewhere, "modem.dial({ path: '/containers/create?name=x' }, cb);")).toEqual(['engine API path']);
    expect(flagged(HANDLE, 'export const start = (h) => h.start();')).toEqual(['mutating handle']);
    // Not ways in: the gate itself, tests' fixtures, other objects' start/restart, reads of the engine.
    expect(flagged('src-main/core/lifecycle/service.ts', 'await engine.docker.createContainer(o); await engine.docker.getContainer(id).start();')).toEqual([]);
    expect(flagged('src-main/core/health/probe.integration.test.ts', 'await (await d.createContainer(o)).start();')).toEqual([]);
    expect(flagged('src-main/core/sampler/gpu/nvidia-smi.ts', 'tracker.restart(); stream.start(); await sampler.start();')).toEqual([]);
    expect(flagged(elsewhere, "await containerHandle(engine, id).inspect(); modem.dial({ path: '/containers/json' }, cb);")).toEqual([]);
    expect(flagged(elsewhere, '// the Engine API body of POST /containers/create')).toEqual([]);
    expect(flagged(elsewhere, ' * never calls engine.docker.getContainer(id).start() itself')).toEqual([]);
  });

  it('types a handle outside the gate without start, unpause or restart', () => {
    // The engine's own handle, passed through (a stand-in engine: only the type is under test here; tsc checks the lines below).
    const h = containerHandle({ docker: { getContainer: (id: string) => ({ id }) } as never }, 'abc');
    expect(h.id).toBe('abc');
    // @ts-expect-error not on a ContainerHandle: only the gate starts containers
    void h.start;
    // @ts-expect-error not on a ContainerHandle
    void h.unpause;
    // @ts-expect-error not on a ContainerHandle
    void h.restart;
  });
});
