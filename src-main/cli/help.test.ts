// Every `mlenv` command answers --help (and -h) with its usage and exit 0, before it parses anything
// or opens a data folder: the built dist/main/cli.js in a real process, for each registered command.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli } from '../test-support';
import { asksForHelp } from './args';
import { COMMANDS } from './commands';

beforeAll(buildCli, 120_000);

const NAMES = Object.keys(COMMANDS);

describe('asksForHelp', () => {
  it('finds --help or -h anywhere before a --, never after it (a container command’s own flags)', () => {
    expect(asksForHelp(['--help'])).toBe(true);
    expect(asksForHelp(['-h'])).toBe(true);
    expect(asksForHelp(['search', 'pytorch', '--json', '--help'])).toBe(true);
    expect(asksForHelp(['add', 'm', '--image', 'x', '--', 'python', '-m', 'server', '--help'])).toBe(false);
    expect(asksForHelp(['add', 'm', '-h', '--', 'python'])).toBe(true);
    expect(asksForHelp([])).toBe(false);
    expect(asksForHelp(['--helpful', '-hh', 'help'])).toBe(false);
  });
});

describe('mlenv <command> --help', () => {
  it('every usage form names its command (continuation lines indented)', () => {
    for (const [name, c] of Object.entries(COMMANDS)) {
      for (const line of c.usage.split('\n  ')) expect(line, name).toMatch(new RegExp(`^(mlenv ${name}( |$)|\\s)`));
    }
  });

  it.each(NAMES)('%s --help and -h print its usage and exit 0', async (name) => {
    const expected = { code: 0, stdout: `Usage:\n  ${COMMANDS[name]!.usage}\n`, stderr: '' };
    expect(await runCli([name, '--help'])).toEqual(expected);
    expect(await runCli([name, '-h'])).toEqual(expected);
  });

  it('after a subcommand and other flags too, and as mlenv help <command>', async () => {
    const catalog = `Usage:\n  ${COMMANDS.catalog!.usage}\n`;
    expect(await runCli(['catalog', 'tags', 'nvidia/pytorch', '--offline', '--help'])).toEqual({ code: 0, stdout: catalog, stderr: '' });
    expect(await runCli(['admission', 'check', '--memory', '16g', '-h'])).toMatchObject({ code: 0, stdout: `Usage:\n  ${COMMANDS.admission!.usage}\n` });
    expect(await runCli(['help', 'catalog'])).toEqual({ code: 0, stdout: catalog, stderr: '' });
    expect(await runCli(['help', 'frobnicate'])).toMatchObject({ code: 2, stderr: 'mlenv: unknown command "frobnicate"; run mlenv --help\n' });
  });

  it('admission check lists --container, which it accepts', () => {
    expect(COMMANDS.admission!.usage.split('\n  ')).toContain('mlenv admission check --container <id|name> [--engine ID] [--json] [--data-dir DIR]   (the start of an existing container)');
  });
});

/** Source files (tests excluded) under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' ? [] : sources(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

describe('the mlenv commands that messages and the README tell people to run', () => {
  it('use only flags their command lists in its usage', () => {
    const root = path.resolve(__dirname, '../..');
    const files = [...['src-main', 'src-shared', 'src-renderer'].flatMap((d) => sources(path.join(root, d))), path.join(root, 'README.md')];
    const told = files.flatMap((f) =>
      // "mlenv <command>" and the words after it, up to a quote, a bracket or the end of the line.
      [...readFileSync(f, 'utf8').matchAll(/mlenv ([a-z]+)((?: +[^\s()`'"]+)*)/g)].map((m) => ({ where: path.relative(root, f), command: m[1]!, words: m[2]!.trim().split(/ +/) })),
    );
    const flags = told
      .filter((t) => Object.hasOwn(COMMANDS, t.command))
      .flatMap((t) => t.words.flatMap((w) => w.split('/')).filter((w) => w.startsWith('--') && !w.includes('${')).map((w) => ({ ...t, flag: w.replace(/=.*$/, '') })));
    expect(flags.length).toBeGreaterThan(10);
    const listed = (command: string, flag: string) => new RegExp(`${flag}(?![a-z-])`).test(COMMANDS[command]!.usage);
    expect(flags.filter((f) => !listed(f.command, f.flag)).map((f) => `${f.where}: mlenv ${f.command} … ${f.flag}`)).toEqual([]);
  });
});
