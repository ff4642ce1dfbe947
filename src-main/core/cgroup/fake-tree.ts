// For the tests: a fixture tree (fixtures/<name>) copied into a fresh temporary folder, which the
// reader takes as its root; it is removed after the test file.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

export function fakeTree(fixture?: string): { root: string; write(rel: string, text: string): void } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'mlenv-cgroup-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  if (fixture) cpSync(path.join(__dirname, 'fixtures', fixture), root, { recursive: true });
  return {
    root,
    /** Writes (or rewrites in place, as the kernel's files change under an open descriptor) a file of the tree. */
    write(rel: string, text: string) {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    },
  };
}
