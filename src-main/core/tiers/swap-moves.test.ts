// The swap tier on a cgroup v2 host with swap, which this machine is not (cgroup v1, no swap): the
// tier manager with its real parts — moves, verification, the cgroup reader, the scaling events and
// journal in a real SQLite file — over a fake cgroup v2 tree (core/cgroup/fixtures v2-docker-systemd
// and the files such a kernel adds), a stand-in for the kernel behind memory.reclaim
// (fakeReclaimKernel: the exact bytes written, memory.current and memory.swap.current moving as the
// kernel moves them) and a stand-in for the engine that freezes and thaws the tree's cgroups as
// Docker's pause and unpause do. The real engine's refusal of swap on this host:
// tiers.integration.test.ts.
import net from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelSpecSchema, type ContainerDetail, type LaunchSpec } from '@shared/contract';
import { AppError } from '@shared/errors';
import { tmpDataDir } from '../../test-support';
import { createBus } from '../bus';
import { fakeReclaimKernel, fakeTree } from '../cgroup/fake-tree';
import { readFreezerState } from '../cgroup';
import type { SecretStore } from '../docker/secrets';
import { openDatabase } from '../store/db';
import { createEventLog } from '../store/events';
import { createRepositories } from '../store/repositories';
import { createCgroupView } from './cgroup-view';
import type { TierManagerDeps } from './entry';
import { createTierManager, type TierManager } from './manager';
import { LABEL_MODEL } from './names';
import { hostSwapFacts, hostSwapTotal, swapSupport } from './swap';

const MIB = 2 ** 20;
const GIB = 2 ** 30;
// Model a's container is the fixture's (memory.current 2481475584, memory.stat file 57344); the others' are made at launch.
const A_ID = '3d1f6a5b8c2e4f7091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708';
const A_CHARGED = 2481475584;
const A_FILE = 57344;
const IDS: Record<string, string> = { a: A_ID, b: 'b'.repeat(64), c: 'c'.repeat(64), d: 'd'.repeat(64) };
const LOADED = 64 * MIB; // what b and c hold once loaded
const UNRECLAIMABLE = 8 * MIB;

describe('the swap tier on cgroup v2 with memory.reclaim (fake tree)', () => {
  const tree = fakeTree('v2-docker-systemd');
  const scope = (id: string) => `sys/fs/cgroup/system.slice/docker-${id}.scope`;
  const dirOf = (id: string) => `${tree.root}/${scope(id)}`;
  const read = (id: string, file: string) => Number(readFileSync(`${dirOf(id)}/${file}`, 'latin1').trim());
  /** The kernel files cgroup-v2.rst names for a container cgroup with swap accounting and memory.reclaim. */
  const kernelFiles = (id: string) => {
    tree.write(`${scope(id)}/memory.reclaim`, '');
    tree.write(`${scope(id)}/memory.swap.current`, '0\n');
    tree.write(`${scope(id)}/memory.swap.max`, 'max\n');
  };
  tree.write('proc/meminfo', readFileSync(path.join(__dirname, 'fixtures/meminfo-swap-2g.txt'), 'latin1'));
  tree.write('sys/fs/cgroup/system.slice/memory.reclaim', '');
  tree.write('sys/fs/cgroup/system.slice/memory.swap.max', 'max\n');
  tree.write('sys/fs/cgroup/system.slice/memory.swap.current', '0\n');
  kernelFiles(A_ID);

  /** Cgroups the kernel stand-in cannot reclaim from (locked pages, say). */
  const stuck = new Set<string>();
  const kernel = fakeReclaimKernel({ unreclaimableBytes: UNRECLAIMABLE, perWrite: (n, dir) => (stuck.has(dir) ? 0 : n === 0 ? GIB : Infinity) });
  const reclaimWrites = (id: string) => kernel.writes.filter((w) => w.file === `${dirOf(id)}/memory.reclaim`).map((w) => w.text);

  // The engine: containers by id, what was done to them, in order ("gate …" went through the lifecycle gate).
  const ops: string[] = [];
  const state = new Map<string, { id: string; model: string; state: 'running' | 'paused' | 'exited'; created: number }>();
  let serverPort = 0;
  const detail = (id: string): ContainerDetail => {
    const c = state.get(id);
    if (!c) throw new AppError('NOT_FOUND', `no container ${id.slice(0, 12)}`);
    return { id, name: `mlenv-model-${c.model}`, state: c.state, exitCode: null, ports: [{ containerPort: 8000, protocol: 'tcp', hostPort: serverPort, hostIp: '127.0.0.1' }] } as unknown as ContainerDetail;
  };
  const freeze = (id: string, frozen: boolean) => {
    tree.write(`${scope(id)}/cgroup.freeze`, frozen ? '1\n' : '0\n');
    tree.write(`${scope(id)}/cgroup.events`, `populated 1\nfrozen ${frozen ? 1 : 0}\n`);
    state.get(id)!.state = frozen ? 'paused' : 'running';
  };
  const modelOf = (id: string) => state.get(id)?.model ?? id.slice(0, 1);
  const engine = {
    docker: {
      listContainers: async () =>
        [...state.values()].map((c) => ({ Id: c.id, Labels: { [LABEL_MODEL]: c.model }, State: c.state, Created: c.created, Ports: [{ PrivatePort: 8000, PublicPort: serverPort, Type: 'tcp' }] })),
    },
  };
  const docker = {
    engines: { get: () => engine },
    containers: {
      async operate(_e: unknown, id: string, op: string) {
        ops.push(`${op} ${modelOf(id)}`);
        if (op === 'pause') freeze(id, true);
        else throw new Error(`the test engine does not ${op}`);
        return detail(id);
      },
      inspect: async (_e: unknown, id: string) => detail(id),
      remove: async () => ({ removed: true }),
    },
    tailLogs: async () => [],
    onDockerEvent: () => () => undefined,
  } as unknown as TierManagerDeps['docker'];
  const lifecycle: TierManagerDeps['lifecycle'] = {
    async launch(_e, spec: LaunchSpec) {
      const model = spec.labels?.[LABEL_MODEL] ?? '';
      const id = IDS[model]!;
      ops.push(`gate launch ${model}`);
      // Its cgroup as the kernel makes it once the server has loaded: anonymous memory, no file cache.
      tree.write(`${scope(id)}/memory.current`, `${LOADED}\n`);
      tree.write(`${scope(id)}/memory.stat`, `anon ${LOADED}\nfile 0\nshmem 0\ninactive_file 0\n`);
      tree.write(`${scope(id)}/memory.max`, 'max\n');
      kernelFiles(id);
      state.set(id, { id, model, state: 'running', created: state.size + 1 });
      freeze(id, false);
      return detail(id);
    },
    async operate(_e, id, op) {
      ops.push(`gate ${op} ${modelOf(id)}`);
      if (op === 'unpause') freeze(id, false);
      else throw new Error(`the test engine does not ${op}`);
      return detail(id);
    },
  };

  const secretValues = new Map<string, string>();
  const secrets: SecretStore = { kind: 'memory', backend: 'file', get: (k) => secretValues.get(k), set: (k, v) => void secretValues.set(k, v), delete: (k) => secretValues.delete(k) };
  const db = openDatabase(tmpDataDir());
  const repos = createRepositories(db);
  const events = createEventLog(db);
  const cgroups = createCgroupView({ root: tree.root, writeFile: kernel.write });
  let tiers: TierManager;
  let server: net.Server;
  const spec = (name: string) =>
    modelSpecSchema.parse({ name, launch: { image: 'example/model:1', labels: {} }, capabilities: ['chat'], port: 8000, probe: { kind: 'tcp' }, declaredBytes: 512 * MIB, readyTimeoutMs: 5000 });
  const model = (name: string) => tiers.get(name);
  const lastJob = (name: string) => tiers.jobs({ model: name, limit: 1 })[0]!;

  beforeAll(async () => {
    // The model servers' port: the readiness probe (TCP) connects here.
    server = net.createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    serverPort = (server.address() as net.AddressInfo).port;
    tiers = createTierManager({
      repo: repos.tiers,
      bus: createBus(),
      events,
      docker,
      lifecycle,
      cgroups,
      secrets,
      host: () => ({ totalBytes: 16 * GIB, swapTotalBytes: hostSwapTotal(tree.root) }),
      swap: () => swapSupport(hostSwapFacts({ root: tree.root })),
      idleCheckMs: 0,
    });
    await tiers.start();
    // RAM for one 512 MiB model (768 MiB usable), swap for all (the host's 2 GiB less 4 KiB by default).
    tiers.setLimits({ ramBudgetBytes: GIB, safetyMarginBytes: 256 * MIB }, 'user');
    for (const name of ['a', 'b', 'c', 'd']) await tiers.add(spec(name), 'cold', 'user');
    // a's server runs already: read back from the engine, it is hot.
    state.set(A_ID, { id: A_ID, model: 'a', state: 'running', created: 0 });
    await tiers.reconcile();
  });
  afterAll(async () => {
    await tiers?.dispose();
    cgroups.close();
    db.close();
    await new Promise((r) => server?.close(r));
  });

  it('is offered, with the swap budget defaulting to the host’s swap', () => {
    expect(tiers.swapSupport()).toMatchObject({ supported: true, method: 'memory.reclaim' });
    expect(tiers.limits().swapBudgetBytes).toBe(2097148 * 1024);
    expect(model('a')).toMatchObject({ tier: 'hot', containerId: A_ID });
  });

  it('ensure() of a model that does not fit pushes the hot one into swap — paused, then reclaimed in steps while the kernel answers EAGAIN — and serves the request', async () => {
    const r = await tiers.ensure('b');
    expect(r.job).toMatchObject({ state: 'done', from: 'cold', to: 'hot' });
    expect(model('b').tier).toBe('hot');
    expect(model('a').tier).toBe('swap');
    // Frozen first (containers service), then its memory pushed out, then b launched through the gate.
    expect(ops).toEqual(['pause a', 'gate launch b']);
    // What was charged, as decimal bytes; after EAGAIN (1 GiB reclaimed) the rest; after EAGAIN again (all but
    // what the kernel cannot reclaim) that once more, which freed nothing: the kernel's last word.
    expect(reclaimWrites(A_ID)).toEqual([String(A_CHARGED), String(A_CHARGED - GIB), String(UNRECLAIMABLE)]);
    expect(read(A_ID, 'memory.current')).toBe(UNRECLAIMABLE);
    expect(read(A_ID, 'memory.swap.current')).toBe(A_CHARGED - UNRECLAIMABLE - A_FILE);
    expect(readFreezerState(A_ID, { root: tree.root })).toBe('frozen');

    const evicted = lastJob('a');
    expect(evicted).toMatchObject({ state: 'done', from: 'hot', to: 'swap', trigger: 'ensure', parentId: r.job!.id, memoryBeforeBytes: A_CHARGED, memoryAfterBytes: UNRECLAIMABLE });
    expect(evicted.verification).toBe('freezer FROZEN, 2.3 GiB of 2.3 GiB pushed out (memory.current 2.3 GiB → 8.0 MiB, memory.swap.current 0 B → 2.3 GiB)');
    // A scaling event and a journal row, as every move.
    const [row] = tiers.scalingEvents({ model: 'a', limit: 5 });
    expect(row).toMatchObject({ type: 'scale_down', fromTier: 'hot', toTier: 'swap', success: true, error: null, jobId: evicted.id, memoryBeforeBytes: A_CHARGED, memoryAfterBytes: UNRECLAIMABLE });
    const journal = events.recent(50).find((e) => e.type === 'tier.move' && (e.details as { jobId?: string }).jobId === evicted.id);
    expect(journal).toMatchObject({ outcome: 'ok', containerId: A_ID, actor: 'tier-manager' });
  });

  it('swap → hot thaws through the gate (admission decides) and is verified THAWED; the one it displaces goes to swap', async () => {
    ops.length = 0;
    const r = await tiers.ensure('a');
    expect(r.job).toMatchObject({ state: 'done', from: 'swap', to: 'hot' });
    expect(r.job!.verification).toMatch(/^freezer THAWED, /);
    expect(ops).toEqual(['pause b', 'gate unpause a']);
    expect(readFreezerState(A_ID, { root: tree.root })).toBe('thawed');
    expect(model('a')).toMatchObject({ tier: 'hot', hostPort: serverPort });
    // b held 64 MiB, all anonymous: 56 MiB to swap, 8 MiB the kernel kept.
    expect(model('b').tier).toBe('swap');
    expect(reclaimWrites(IDS.b!)).toEqual([String(LOADED), String(UNRECLAIMABLE)]);
    expect(read(IDS.b!, 'memory.swap.current')).toBe(LOADED - UNRECLAIMABLE);
    expect(tiers.scalingEvents({ model: 'a', limit: 1 })[0]).toMatchObject({ type: 'scale_up', fromTier: 'swap', toTier: 'hot', success: true });
  });

  it('a push-out the kernel cannot do fails verification and is rolled back: thawed again through the gate, recorded as failed', async () => {
    ops.length = 0;
    stuck.add(dirOf(A_ID));
    try {
      const job = await tiers.move('a', 'swap', 'user', true);
      expect(job.state).toBe('rolled_back');
      expect(job.error).toBe('verification failed: only 0 B of 8.0 MiB left RAM (memory.current 8.0 MiB → 8.0 MiB, memory.swap.current 2.3 GiB → 2.3 GiB)');
    } finally {
      stuck.delete(dirOf(A_ID));
    }
    expect(ops).toEqual(['pause a', 'gate unpause a']);
    expect(model('a').tier).toBe('hot');
    expect(readFreezerState(A_ID, { root: tree.root })).toBe('thawed');
    const [row] = tiers.scalingEvents({ model: 'a', limit: 1 });
    expect(row).toMatchObject({ type: 'manual_scale', fromTier: 'hot', toTier: 'swap', success: false, error: expect.stringMatching(/^verification failed: only 0 B/) });
  });

  it('refuses before touching the container when its memory.swap.max is 0, and reclaims a paused (warm) one without pausing it again', async () => {
    ops.length = 0;
    tree.write(`${scope(A_ID)}/memory.swap.max`, '0\n');
    const refused = await tiers.move('a', 'swap', 'user', true);
    expect(refused).toMatchObject({ state: 'failed', error: expect.stringMatching(/^memory\.swap\.max is 0 for container 3d1f6a5b8c2e .*may not use swap/) });
    expect(ops).toEqual([]); // never paused
    expect(model('a').tier).toBe('hot');
    expect(tiers.scalingEvents({ model: 'a', limit: 1 })[0]).toMatchObject({ toTier: 'swap', success: false });

    tree.write(`${scope(A_ID)}/memory.swap.max`, 'max\n');
    // While it ran, the server touched its pages and they came back from swap.
    tree.write(`${scope(A_ID)}/memory.current`, `${A_CHARGED}\n`);
    tree.write(`${scope(A_ID)}/memory.swap.current`, '0\n');
    expect(await tiers.move('a', 'warm', 'user', true)).toMatchObject({ state: 'done' });
    const before = kernel.writes.length;
    const job = await tiers.move('a', 'swap', 'user', true);
    expect(job).toMatchObject({ state: 'done', from: 'warm', to: 'swap' });
    expect(ops).toEqual(['pause a']); // the warm move's only
    // The stand-in kernel stops early only on a cgroup's first write: all but what it cannot reclaim comes out at once.
    expect(kernel.writes.slice(before).map((w) => w.text)).toEqual([String(A_CHARGED), String(UNRECLAIMABLE)]);
    expect(read(A_ID, 'memory.swap.current')).toBe(A_CHARGED - UNRECLAIMABLE);
    expect(job.verification).toMatch(/^freezer FROZEN, 2\.3 GiB of 2\.3 GiB pushed out/);
    // Paused, its pages out: a move to warm would keep them out, so only hot or cold are offered.
    await expect(tiers.move('a', 'warm', 'user')).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/in swap: its pages come back only as it runs/) });
  });

  it('cold → swap loads the model through the gate (its RAM booked while it loads), then pushes it out', async () => {
    // b is in swap, a in swap: c alone in RAM while it loads.
    ops.length = 0;
    const job = await tiers.move('c', 'swap', 'user', true);
    expect(job).toMatchObject({ state: 'done', from: 'cold', to: 'swap', memoryBeforeBytes: 0, memoryAfterBytes: UNRECLAIMABLE });
    expect(ops).toEqual(['gate launch c', 'pause c']);
    expect(reclaimWrites(IDS.c!)[0]).toBe(String(LOADED));
    expect(model('c').tier).toBe('swap');
  });

  it('refuses cold → swap for a model that cannot load in the RAM left, with the numbers, before anything runs', async () => {
    await tiers.ensure('a'); // hot again: 512 MiB of the 768 MiB usable
    ops.length = 0;
    await expect(tiers.move('d', 'swap', 'user')).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'd does not fit the RAM tier now: it needs 512.0 MiB while it loads, before it is pushed to swap, and 512.0 MiB of the 768.0 MiB usable (1.0 GiB budget less the 256.0 MiB margin) is taken; move a model out first, or use ensure, which evicts',
    });
    expect(ops).toEqual([]);
    expect(model('d').tier).toBe('cold');
  });
});
