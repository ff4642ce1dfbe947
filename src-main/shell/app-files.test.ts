// The app:// protocol's answers, over a real folder laid out like dist/renderer with a secret beside it.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fileUnder } from '../serve/static';
import { tmpDataDir } from '../test-support';
import { resolveAppRequest } from './app-files';

let base: string;
let renderer: string;
beforeAll(() => {
  base = tmpDataDir();
  renderer = path.join(base, 'dist', 'renderer');
  mkdirSync(path.join(renderer, 'assets'), { recursive: true });
  writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>MLEnv</title>');
  writeFileSync(path.join(renderer, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(path.join(renderer, 'assets', 'a b.css'), 'body{}');
  writeFileSync(path.join(base, 'dist', 'secret.txt'), 'not for the page');
  writeFileSync(path.join(base, 'mlenv.db'), 'not for the page either');
});

const fileOf = async (url: string) => {
  const t = await resolveAppRequest(renderer, url);
  return 'status' in t ? t.status : path.relative(renderer, t.file);
};

describe('app:// protocol files', () => {
  it('serves files of the built renderer with their type and the CSP', async () => {
    const t = await resolveAppRequest(renderer, 'app://mlenv/assets/index-abc.js');
    expect(t).toMatchObject({ file: path.join(renderer, 'assets', 'index-abc.js'), size: 14 });
    if ('status' in t) throw new Error('expected a file');
    expect(t.headers['Content-Type']).toBe('text/javascript; charset=utf-8');
    expect(t.headers['Content-Security-Policy']).toMatch(/script-src 'self'/);
    expect(await fileOf('app://mlenv/index.html')).toBe('index.html');
    expect(await fileOf('app://mlenv/assets/a%20b.css')).toBe(path.join('assets', 'a b.css'));
  });

  it('answers routes (paths without an extension) with index.html, and missing files with 404', async () => {
    expect(await fileOf('app://mlenv/')).toBe('index.html');
    expect(await fileOf('app://mlenv')).toBe('index.html');
    expect(await fileOf('app://mlenv/containers/abc')).toBe('index.html');
    expect(await fileOf('app://mlenv/assets/missing.js')).toBe(404);
  });

  it('never leaves the renderer folder, however the path is spelt', async () => {
    for (const url of [
      'app://mlenv/../secret.txt',
      'app://mlenv/%2e%2e/secret.txt',
      'app://mlenv/..%2fsecret.txt',
      'app://mlenv/..%2F..%2Fmlenv.db',
      'app://mlenv/assets/..%2f..%2f..%2fmlenv.db',
      'app://mlenv/%2e%2e%2f%2e%2e%2fmlenv.db',
      'app://mlenv/..%5c..%5cmlenv.db',
      `app://mlenv/${encodeURIComponent(path.join(base, 'mlenv.db'))}`,
    ])
      // A climb clamps at the renderer folder, where no such file is: 404, never the file beside it.
      expect(await fileOf(url), url).toBe(404);
  });

  it('answers 404 for another host, a NUL or a malformed escape', async () => {
    expect(await fileOf('app://evil/index.html')).toBe(404);
    expect(await fileOf('app://mlenv:81/index.html')).toBe(404);
    expect(await fileOf('file:///etc/passwd')).toBe(404);
    expect(await fileOf('app://mlenv/index.html%00.js')).toBe(404);
    expect(await fileOf('app://mlenv/%zz')).toBe(404);
  });

  it('answers 503 when the renderer is not built', async () => {
    expect(await resolveAppRequest(path.join(base, 'nothing-here'), 'app://mlenv/')).toEqual({ status: 503, message: 'the renderer is not built: run npm run build' });
  });
});

describe('fileUnder (the resolver serve mode and app:// share)', () => {
  it('decodes, normalises and clamps at the root', () => {
    const root = path.resolve('/srv/r');
    expect(fileUnder(root, '/a/b.js')).toBe(path.join(root, 'a', 'b.js'));
    expect(fileUnder(root, '/a/../b.js')).toBe(path.join(root, 'b.js'));
    expect(fileUnder(root, '/../../etc/passwd')).toBe(path.join(root, 'etc', 'passwd'));
    expect(fileUnder(root, '/%2e%2e/%2e%2e/etc/passwd')).toBe(path.join(root, 'etc', 'passwd'));
    expect(fileUnder(root, '/')).toBe(root);
    expect(fileUnder(root, '/a%00b')).toBeUndefined();
    expect(fileUnder(root, '/%E0%A4%A')).toBeUndefined();
  });
});
