// `mlenv models`, `mlenv tier` and `mlenv select` in this process, each command with its own core
// over a temporary data folder (no app runs): what they print, and their refusals in one line.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tmpDataDir } from '../test-support';
import { UsageError } from './args';
import { models, select, tier } from './models';

let out = '';
beforeEach(() => {
  out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  process.exitCode = undefined;
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

describe('mlenv models / tier / select', () => {
  const dir = tmpDataDir();
  const d = ['--data-dir', dir];

  it('adds models, lists them, and selects by task and priority', async () => {
    await models(['add', 'chatty', '--image', 'example/llm:1', '--port', '8000', '--capability', 'text-generation', '--quality', '0.9', '--declared', '2g', '--probe', 'http:/health', ...d, '--', 'serve', '--fast']);
    expect(out).toMatch(/^added chatty \(example\/llm:1\)/);
    await models(['add', 'embedder', '--image', 'example/emb:1', '--port', '9000', '--capability', 'embedding', '--declared', '512m', ...d]);
    out = '';
    await models(['list', '--json', ...d]);
    const list = JSON.parse(out) as { name: string; tier: string; footprintBytes: number; launch: { command?: string[] }; probe: unknown }[];
    expect(list.map((m) => [m.name, m.tier, m.footprintBytes])).toEqual([
      ['chatty', 'cold', 2 * 2 ** 30],
      ['embedder', 'cold', 512 * 2 ** 20],
    ]);
    expect(list[0]!.launch.command).toEqual(['serve', '--fast']);
    expect(list[0]!.probe).toEqual({ kind: 'http', path: '/health' });
    out = '';
    await select(['--task', 'embedding', '--json', ...d]);
    expect(JSON.parse(out)).toMatchObject({ mode: 'auto', model: 'embedder', tier: 'cold' });
    out = '';
    await select(['--task', 'asr', ...d]);
    expect(out).toMatch(/^no model\n/);
    expect(process.exitCode).toBe(1);
  });

  it('shows and changes the limits, refusing what the host cannot give', async () => {
    await tier(['limits', '--ram', '1g', '--margin', '128m', '--idle', 'off', ...d]);
    expect(out).toMatch(/RAM budget {5}1\.0 GiB/);
    expect(out).toMatch(/idle demotion {2}off/);
    await expect(tier(['limits', '--ram', '64t', ...d])).rejects.toThrow(/admission keeps free/);
    await expect(tier(['limits', '--idle', 'soon', ...d])).rejects.toThrow(UsageError);
  });

  it('prints the tier status, and refuses moves that cannot be made', async () => {
    await tier(['status', ...d]);
    expect(out).toMatch(/RAM tier 0 B of 1\.0 GiB/);
    expect(out).toMatch(/^cold {2}chatty, embedder$/m);
    await expect(tier(['move', 'chatty', 'lukewarm', ...d])).rejects.toThrow(UsageError);
    await expect(tier(['move', 'chatty', 'cold', ...d])).rejects.toThrow(/chatty is cold already/);
    // Declared 2 GiB against a 1 GiB budget: refused before anything starts.
    await expect(tier(['move', 'chatty', 'hot', ...d])).rejects.toThrow(/can never fit/);
  });

  it('removes a model', async () => {
    await models(['remove', 'embedder', ...d]);
    expect(out).toBe('removed embedder\n');
    out = '';
    await models(['list', '--json', ...d]);
    expect((JSON.parse(out) as { name: string }[]).map((m) => m.name)).toEqual(['chatty']);
    await expect(models(['add', 'x', '--port', '1', '--capability', 'a', ...d])).rejects.toThrow(/--image IMAGE or --catalog/);
  });
});
