// The built `mlenv admission` and `mlenv quota` commands on a data folder of their own (no app
// running: the command's own core decides, on this machine's figures and engine).
import { execFile } from 'node:child_process';
import Database from 'better-sqlite3';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AdmissionDecision, ProjectQuotaView } from '@shared/contract';
import { buildCli, CLI, realDocker, TEST_IMAGE, tmpDataDir } from '../test-support';
import { DB_FILE } from '../core/store/db';

const docker = await realDocker();

function mlenv(args: string[], dataDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args, '--data-dir', dataDir], { timeout: 60_000 }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

beforeAll(() => buildCli(), 120_000);

describe.skipIf(!docker)('mlenv admission / mlenv quota', () => {
  it('check prints REJECTED with every check (exit 1) for more CPUs than any machine has, and the JSON decision', async () => {
    const dir = tmpDataDir();
    const r = await mlenv(['admission', 'check', '--memory', '16g', '--cpus', '4096', '--gpus', '1'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^REJECTED: Refused: /);
    expect(r.stdout).toMatch(/\n {2}FAIL {4}CPUs asked for: 4096 CPUs asked for; this machine has \d+ \[can never fit here\]\n {12}→ lower the CPUs to \d+ or fewer\n/);
    // Every check is listed, each once.
    expect(r.stdout.split('\n').filter((l) => /^ {2}(PASS|FAIL|UNKNOWN) /.test(l))).toHaveLength(13);
    const j = await mlenv(['admission', 'check', '--memory', '16g', '--cpus', '4096', '--json'], dir);
    const d = JSON.parse(j.stdout) as AdmissionDecision;
    expect(d).toMatchObject({ admitted: false, request: { action: 'check', memoryBytes: 16 * 1024 ** 3, cpus: 4096, gpus: null } });
    expect(d.checks[0]).toMatchObject({ id: 'cpu_count', status: 'fail', canNeverFit: true });
    // A preview records nothing.
    expect((await mlenv(['admission', 'decisions'], dir)).stdout).toBe('No decisions recorded\n');
  });

  it('check prints ADMITTED (exit 0) for a small launch once CPU and load limits are opened with admission set', async () => {
    const dir = tmpDataDir();
    const set = await mlenv(['admission', 'set', 'cpuMaxPercent=100', 'loadMaxPerCore=1000', 'diskMarginBytes=1m'], dir);
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('CPU ≤ 100 % over 10 s; load ≤ 1000 × cores');
    const r = await mlenv(['admission', 'check', '--memory', '1m', '--cpus', '0.1'], dir);
    expect(r.stdout).toMatch(/^ADMITTED: Admitted: every check passed\n/);
    expect(r.code).toBe(0);
    expect(await mlenv(['admission', 'set', 'memoryMaxPercent=120'], dir)).toMatchObject({ code: 1, stderr: expect.stringContaining('thresholds.memoryMaxPercent') });
    expect(await mlenv(['admission', 'set', 'nope=1'], dir)).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown key "nope"') });
  });

  it('mode: shows and changes the policy mode and a check’s own, journaled as the CLI', async () => {
    const dir = tmpDataDir();
    expect(await mlenv(['admission', 'mode'], dir)).toMatchObject({ code: 0, stdout: 'enforce\n' });
    expect(await mlenv(['admission', 'mode', 'audit'], dir)).toMatchObject({ code: 0, stdout: 'audit\n' });
    expect(await mlenv(['admission', 'mode', 'dry_run', '--check', 'gpu_memory'], dir)).toMatchObject({ code: 0, stdout: 'gpu_memory: dry_run\n' });
    expect(await mlenv(['admission', 'mode', 'inherit', '--check', 'gpu_memory'], dir)).toMatchObject({ code: 0, stdout: 'gpu_memory: audit (the policy mode)\n' });
    expect(await mlenv(['admission', 'mode', 'off'], dir)).toMatchObject({ code: 2, stderr: 'mlenv: "off" is not a mode: use enforce, dry_run, audit\n' });
    expect((await mlenv(['admission', 'mode'], dir)).stdout).toBe('audit\n');
    const db = new Database(path.join(dir, DB_FILE), { readonly: true });
    const rows = db.prepare("SELECT actor, details FROM events WHERE type = 'admission.mode' ORDER BY id").all() as { actor: string; details: string }[];
    db.close();
    expect(rows.map((r) => [r.actor, (JSON.parse(r.details) as { changes: string[] }).changes])).toEqual([
      ['cli', ['mode enforce → audit']],
      ['cli', ['gpu_memory: (policy) → dry_run']],
      ['cli', ['gpu_memory: dry_run → (policy)']],
    ]);
  });

  it('check --container previews the start of an existing managed container, and refuses resources given with it', async () => {
    const dir = tmpDataDir();
    const name = `mlenv-admission-check-${process.pid}`;
    const c = await docker!.createContainer({ Image: TEST_IMAGE, name, Cmd: ['true'], Labels: { 'io.mlenv.managed': 'true', 'io.mlenv.project': 'ml' } });
    try {
      const r = await mlenv(['admission', 'check', '--container', name, '--json'], dir);
      expect([0, 1]).toContain(r.code); // admitted or not, on this machine's figures: a decision either way
      const d = JSON.parse(r.stdout) as AdmissionDecision;
      expect(d.request).toMatchObject({ action: 'check', container: { id: c.id, name } });
      const both = await mlenv(['admission', 'check', '--container', name, '--memory', '1g'], dir);
      expect(both).toMatchObject({ code: 1, stderr: expect.stringContaining('give either a container to start or the resources of a launch, not both') });
    } finally {
      await c.remove({ force: true });
    }
  });

  it('quota set / show / rm', async () => {
    const dir = tmpDataDir();
    const set = await mlenv(['quota', 'set', 'ml', '--containers', '2', '--memory', '8g', '--gpus', '1'], dir);
    expect(set.code).toBe(0);
    expect(set.stdout).toMatch(/^PROJECT +CONTAINERS +MEMORY +CPUS +GPUS +STATE\nml +0 of 2 +0 B of 8\.0 GiB +0 \(no limit\) +0 of 1 +within\n$/);
    expect(await mlenv(['quota', 'set', 'ml', '--memory', 'none'], dir)).toMatchObject({ code: 0 });
    const shown = JSON.parse((await mlenv(['quota', 'show', 'ml', '--json'], dir)).stdout) as ProjectQuotaView;
    expect(shown).toMatchObject({ project: 'ml', containers: 2, memoryBytes: null, cpus: null, gpus: 1, updatedBy: 'cli', over: [] });
    expect(await mlenv(['quota', 'set', 'ml', '--containers', 'many'], dir)).toMatchObject({ code: 2, stderr: 'mlenv: --containers many: use a whole number, or none for no limit\n' });
    expect(await mlenv(['quota', 'set', 'ml', '--memory', 'lots'], dir)).toMatchObject({ code: 1, stderr: expect.stringContaining('"lots" is not a size') });
    expect(await mlenv(['quota', 'rm', 'ml'], dir)).toMatchObject({ code: 0, stdout: 'ml\n' });
    expect(await mlenv(['quota', 'show'], dir)).toMatchObject({ code: 0, stdout: 'No project quotas\n' });
    expect(await mlenv(['quota', 'rm', 'ml'], dir)).toMatchObject({ code: 1, stderr: 'mlenv: project ml has no quota\n' });
  });
});
