// Pushing a cgroup's memory out through cgroup v2 memory.reclaim, over the v2 fixture tree (this
// machine is cgroup v1 without swap) with a stand-in for the kernel behind the file
// (fake-tree.ts fakeReclaimKernel): the exact bytes written, the steps after EAGAIN, and the errors;
// memory.swap.max along a cgroup's path; the real writer on plain files.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fakeReclaimKernel, fakeTree, sysError } from './fake-tree';
import { parseSingleValue } from './parse';
import { reclaimAll, swapLimit, writeCgroupFile } from './reclaim';

const ID = '3d1f6a5b8c2e4f7091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708';
const MIB = 2 ** 20;
const GIB = 2 ** 30;
// The fixture's memory.current and memory.stat `file` (fixtures/README.md: v2-docker-systemd).
const CHARGED = 2481475584;
const FILE_PAGES = 57344;

/** A fresh v2 tree whose container cgroup has the files a kernel with swap accounting and memory.reclaim has. */
function v2WithSwap(swapMax = 'max') {
  const tree = fakeTree('v2-docker-systemd');
  const scope = `sys/fs/cgroup/system.slice/docker-${ID}.scope`;
  tree.write(`${scope}/memory.reclaim`, ''); // write-only in the kernel: reads give nothing
  tree.write(`${scope}/memory.swap.current`, '0\n');
  tree.write(`${scope}/memory.swap.max`, `${swapMax}\n`);
  tree.write('sys/fs/cgroup/system.slice/memory.swap.current', '0\n');
  tree.write('sys/fs/cgroup/system.slice/memory.swap.max', 'max\n');
  const dir = `${tree.root}/${scope}`;
  const read = (name: string) => parseSingleValue(readFileSync(`${dir}/${name}`, 'latin1')) as number;
  return { tree, dir, scope, usage: () => read('memory.current'), swap: () => read('memory.swap.current') };
}

describe('reclaimAll (memory.reclaim)', () => {
  it('writes what is charged as decimal bytes, and asks again for the rest while the kernel answers EAGAIN with progress', async () => {
    const t = v2WithSwap();
    // The kernel gives up after 1 GiB on the first write, then reclaims all but 8 MiB it cannot.
    const kernel = fakeReclaimKernel({ perWrite: (n) => (n === 0 ? GIB : Infinity), unreclaimableBytes: 8 * MIB });
    const r = await reclaimAll(t.dir, t.usage, { write: kernel.write });
    const after1 = CHARGED - GIB;
    expect(kernel.writes).toEqual([
      { file: `${t.dir}/memory.reclaim`, text: String(CHARGED) },
      { file: `${t.dir}/memory.reclaim`, text: String(after1) },
      { file: `${t.dir}/memory.reclaim`, text: String(8 * MIB) },
    ]);
    expect(r).toEqual({
      usageBeforeBytes: CHARGED,
      usageAfterBytes: 8 * MIB,
      steps: [
        { askedBytes: CHARGED, partial: true, usageAfterBytes: after1 },
        { askedBytes: after1, partial: true, usageAfterBytes: 8 * MIB },
        // Nothing more came out: the kernel's last word.
        { askedBytes: 8 * MIB, partial: true, usageAfterBytes: 8 * MIB },
      ],
    });
    // The file cache was dropped, the rest went to swap.
    expect(t.usage()).toBe(8 * MIB);
    expect(t.swap()).toBe(CHARGED - 8 * MIB - FILE_PAGES);
  });

  it('stops after one write when the kernel reclaimed all it was asked (the write succeeds)', async () => {
    const t = v2WithSwap();
    const kernel = fakeReclaimKernel({ unreclaimableBytes: 0 });
    const r = await reclaimAll(t.dir, t.usage, { write: kernel.write });
    expect(kernel.writes.map((w) => w.text)).toEqual([String(CHARGED)]);
    expect(r.steps).toEqual([{ askedBytes: CHARGED, partial: false, usageAfterBytes: 0 }]);
  });

  it('stops when a partial reclaim freed less than the minimum progress, and after maxSteps writes', async () => {
    const t = v2WithSwap();
    const kernel = fakeReclaimKernel({ perWrite: () => 512 * 1024 });
    const r = await reclaimAll(t.dir, t.usage, { write: kernel.write });
    expect(r.steps).toHaveLength(1); // 512 KiB < 1 MiB
    const t2 = v2WithSwap();
    const k2 = fakeReclaimKernel({ perWrite: () => 100 * MIB });
    const r2 = await reclaimAll(t2.dir, t2.usage, { write: k2.write, maxSteps: 3 });
    expect(k2.writes.map((w) => Number(w.text))).toEqual([CHARGED, CHARGED - 100 * MIB, CHARGED - 200 * MIB]);
    expect(r2.usageAfterBytes).toBe(CHARGED - 300 * MIB);
  });

  it('swaps no more than memory.swap.max leaves room for; the file cache is dropped all the same', async () => {
    const t = v2WithSwap(String(256 * MIB));
    const kernel = fakeReclaimKernel();
    const r = await reclaimAll(t.dir, t.usage, { write: kernel.write });
    expect(t.swap()).toBe(256 * MIB);
    expect(r.usageAfterBytes).toBe(CHARGED - 256 * MIB - FILE_PAGES);
    expect(r.steps.every((s) => s.partial)).toBe(true);
  });

  it('says why it cannot: no memory.reclaim (kernel before 5.19), not allowed, cgroup gone, another refusal', async () => {
    const t = v2WithSwap();
    rmSync(`${t.dir}/memory.reclaim`);
    await expect(reclaimAll(t.dir, t.usage)).rejects.toMatchObject({ code: 'UNSUPPORTED', message: expect.stringMatching(/no memory.reclaim .*Linux 5\.19/) });
    await expect(reclaimAll(`${t.dir}-gone`, t.usage)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const t2 = v2WithSwap();
    const refuse = (code: 'EACCES' | 'ENOENT' | 'EINVAL') => async (file: string) => {
      throw sysError(code, file);
    };
    await expect(reclaimAll(t2.dir, t2.usage, { write: refuse('EACCES') })).rejects.toMatchObject({ code: 'UNSUPPORTED', message: expect.stringMatching(/may not write .*memory\.reclaim \(EACCES\)/) });
    await expect(reclaimAll(t2.dir, t2.usage, { write: refuse('ENOENT') })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(reclaimAll(t2.dir, t2.usage, { write: refuse('EINVAL') })).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/refused to reclaim 2\.3 GiB/) });
  });

  it('the stand-in kernel refuses what memparse refuses, as the real one does', async () => {
    const t = v2WithSwap();
    const kernel = fakeReclaimKernel();
    await expect(kernel.write(`${t.dir}/memory.reclaim`, '1.5G')).rejects.toMatchObject({ code: 'EINVAL' });
    // echo's newline is stripped and the suffix is a power of 1024: 1 MiB of the file cache and anon pages comes out.
    await expect(kernel.write(`${t.dir}/memory.reclaim`, '1M\n')).resolves.toBeUndefined();
    expect(t.usage()).toBe(CHARGED - MIB);
    await expect(kernel.write(`${t.dir}/memory.reclaim`, '4G')).rejects.toMatchObject({ code: 'EAGAIN' }); // more than it has
  });
});

describe('swapLimit (memory.swap.max along the path)', () => {
  it('takes the smallest limit and the least room up to the root, which has none', () => {
    const t = v2WithSwap();
    expect(swapLimit(t.dir)).toEqual({ maxBytes: 'max', roomBytes: 'max', limitedBy: null });
    t.tree.write(`${t.scope}/memory.swap.max`, `${GIB}\n`);
    t.tree.write(`${t.scope}/memory.swap.current`, `${256 * MIB}\n`);
    t.tree.write('sys/fs/cgroup/system.slice/memory.swap.max', `${2 * GIB}\n`);
    t.tree.write('sys/fs/cgroup/system.slice/memory.swap.current', `${1900 * MIB}\n`);
    // The container may hold 1 GiB, but its parent has only 148 MiB left.
    expect(swapLimit(t.dir)).toEqual({ maxBytes: GIB, roomBytes: 148 * MIB, limitedBy: `${t.tree.root}/sys/fs/cgroup/system.slice` });
    t.tree.write(`${t.scope}/memory.swap.max`, '0\n');
    expect(swapLimit(t.dir)).toMatchObject({ maxBytes: 0, roomBytes: 0, limitedBy: t.dir });
  });

  it('is null where the kernel keeps no swap accounting (no memory.swap.max)', () => {
    const t = v2WithSwap();
    rmSync(`${t.dir}/memory.swap.max`);
    expect(swapLimit(t.dir)).toBeNull();
  });
});

describe('writeCgroupFile', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mlenv-write-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the text once into an existing file, never creating one', async () => {
    const file = path.join(dir, 'memory.reclaim');
    writeFileSync(file, '');
    await writeCgroupFile(file, '1073741824');
    expect(readFileSync(file, 'latin1')).toBe('1073741824');
    await expect(writeCgroupFile(path.join(dir, 'absent'), '1')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('rejects with the system error when the file may not be written', async () => {
    const file = path.join(dir, 'read-only');
    writeFileSync(file, '');
    chmodSync(file, 0o444);
    // Root may write any file: then the write goes through.
    if (process.getuid?.() === 0) await expect(writeCgroupFile(file, '1')).resolves.toBeUndefined();
    else await expect(writeCgroupFile(file, '1')).rejects.toMatchObject({ code: 'EACCES' });
  });
});
