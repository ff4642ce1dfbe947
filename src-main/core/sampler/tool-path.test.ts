// toolPathProblem on real files in a temporary folder: only the tool itself, in a place only root or
// this app's user can change, may be run from a configured path.
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toolPathProblem } from './tool-path';

const FIXTURE_BIN = path.resolve(__dirname, 'fixtures/bin');
const root = mkdtempSync(path.join(os.tmpdir(), 'mlenv-toolpath-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const isRoot = process.getuid?.() === 0;

let n = 0;
/** A fresh folder (0700, ours) with an executable script named `name` of the given mode. */
function tool(name: string, mode = 0o755, folderMode = 0o700): string {
  const dir = path.join(root, `case-${++n}`);
  mkdirSync(dir);
  chmodSync(dir, folderMode);
  const p = path.join(dir, name);
  writeFileSync(p, '#!/bin/sh\necho "should never run"\n');
  chmodSync(p, mode); // after writing: the umask does not apply
  return p;
}

describe('toolPathProblem (a configured nvidia-smi / tegrastats path)', () => {
  it('accepts the tool itself: 0755, owned by this user, in a folder only this user can write', () => {
    expect(toolPathProblem(tool('nvidia-smi'), 'nvidia-smi')).toBeNull();
    expect(toolPathProblem(tool('tegrastats', 0o700), 'tegrastats')).toBeNull();
    expect(toolPathProblem(tool('nvidia-smi', 0o555), 'nvidia-smi')).toBeNull();
  });

  it('accepts the fixture tools where they are (root-owned 0755), and a link to one from a safe folder', () => {
    expect(toolPathProblem(path.join(FIXTURE_BIN, 'nvidia-smi'), 'nvidia-smi')).toBeNull();
    expect(toolPathProblem(path.join(FIXTURE_BIN, 'tegrastats'), 'tegrastats')).toBeNull();
    const link = path.join(root, `link-${++n}`);
    mkdirSync(link, { mode: 0o700 });
    symlinkSync(path.join(FIXTURE_BIN, 'nvidia-smi'), path.join(link, 'nvidia-smi'));
    expect(toolPathProblem(path.join(link, 'nvidia-smi'), 'nvidia-smi')).toBeNull();
  });

  it('refuses a relative path or a bare name (PATH lookup is the null setting, not a path)', () => {
    expect(toolPathProblem('nvidia-smi', 'nvidia-smi')).toBe('the nvidia-smi path "nvidia-smi" is refused: it is not an absolute path');
    expect(toolPathProblem('bin/../nvidia-smi', 'nvidia-smi')).toMatch(/is refused: it is not an absolute path$/);
  });

  it('refuses any other program, whatever its file name', () => {
    expect(toolPathProblem('/bin/sh', 'nvidia-smi')).toBe('the nvidia-smi path "/bin/sh" is refused: its file name is "sh", not nvidia-smi');
    expect(toolPathProblem(tool('nvidia-smi.sh'), 'nvidia-smi')).toMatch(/its file name is "nvidia-smi.sh", not nvidia-smi$/);
    expect(toolPathProblem(tool('tegrastats'), 'nvidia-smi')).toMatch(/its file name is "tegrastats", not nvidia-smi$/);
  });

  it('refuses a file writable by its group or by others', () => {
    expect(toolPathProblem(tool('nvidia-smi', 0o777), 'nvidia-smi')).toMatch(/is refused: it is writable by its group or others \(mode 0777\)$/);
    expect(toolPathProblem(tool('tegrastats', 0o775), 'tegrastats')).toMatch(/is refused: it is writable by its group or others \(mode 0775\)$/);
  });

  it('refuses a symlink to a writable file, naming the target', () => {
    const target = tool('nvidia-smi.real', 0o777);
    const link = path.join(path.dirname(target), 'nvidia-smi');
    symlinkSync(target, link);
    expect(toolPathProblem(link, 'nvidia-smi')).toBe(`the nvidia-smi path "${link}" is refused: it (the target of the link, ${target}) is writable by its group or others (mode 0777)`);
  });

  it('refuses a symlink named like the tool that points to another program', () => {
    const dir = path.join(root, `case-${++n}`);
    mkdirSync(dir, { mode: 0o700 });
    symlinkSync('/bin/sh', path.join(dir, 'nvidia-smi'));
    expect(toolPathProblem(path.join(dir, 'nvidia-smi'), 'nvidia-smi')).toMatch(/is refused: the link points to \/\S+, which is not nvidia-smi$/);
  });

  it('refuses a folder, a missing file and a file that is not executable', () => {
    const dir = path.join(root, `case-${++n}`, 'nvidia-smi');
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    expect(toolPathProblem(dir, 'nvidia-smi')).toBe(`the nvidia-smi path "${dir}" is refused: it is not a regular file`);
    expect(toolPathProblem(path.join(root, 'nowhere', 'nvidia-smi'), 'nvidia-smi')).toMatch(/is refused: no such file$/);
    expect(toolPathProblem(tool('nvidia-smi', 0o644), 'nvidia-smi')).toMatch(/is refused: it is not executable \(mode 0644\)$/);
  });

  it('refuses a file in a folder others can write to (the file could be swapped), unless the folder is sticky', () => {
    expect(toolPathProblem(tool('nvidia-smi', 0o755, 0o777), 'nvidia-smi')).toMatch(/is refused: its folder \S+ is writable by its group or others \(mode 0777\)$/);
    expect(toolPathProblem(tool('nvidia-smi', 0o755, 0o1777), 'nvidia-smi')).toBeNull();
  });

  it('refuses control characters in the path (they would reach the journal)', () => {
    expect(toolPathProblem('/usr/bin/\nnvidia-smi', 'nvidia-smi')).toMatch(/is refused: it contains a control character$/);
  });

  it.skipIf(!isRoot)("trusts files of root and of this app's user only (as root: a file of uid 4242)", () => {
    const p = tool('nvidia-smi');
    chownSync(p, 4242, 4242);
    expect(toolPathProblem(p, 'nvidia-smi')).toMatch(/is refused: it is owned by uid 4242, neither root nor this app's user \(uid 0\)$/);
    // The same file for an app running as uid 4242: its own file, in a root-owned folder.
    expect(toolPathProblem(p, 'nvidia-smi', { uid: 4242 })).toBeNull();
    const dir = path.dirname(tool('nvidia-smi'));
    chownSync(dir, 4242, 4242);
    expect(toolPathProblem(path.join(dir, 'nvidia-smi'), 'nvidia-smi')).toMatch(/is refused: its folder \S+ is owned by uid 4242/);
  });

  it('on Windows asks for an absolute path to nvidia-smi.exe (any case)', () => {
    expect(toolPathProblem('nvidia-smi.exe', 'nvidia-smi', { platform: 'win32' })).toMatch(/is refused: it is not an absolute path$/);
    expect(toolPathProblem('C:\\Windows\\System32\\cmd.exe', 'nvidia-smi', { platform: 'win32' })).toMatch(/its file name is "cmd.exe", not nvidia-smi.exe$/);
    expect(toolPathProblem('C:\\Windows\\System32\\nvidia-smi', 'nvidia-smi', { platform: 'win32' })).toMatch(/its file name is "nvidia-smi", not nvidia-smi.exe$/);
    // The name is right: only a missing file is left to refuse here.
    expect(toolPathProblem('C:\\Windows\\System32\\NVIDIA-SMI.EXE', 'nvidia-smi', { platform: 'win32' })).toMatch(/is refused: no such file$/);
  });
});
