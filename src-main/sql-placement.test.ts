// All SQL lives in the repositories under src-main/core/store (issue #8): services get a repository,
// never the database. This scans every production source of src-main outside core/store (tests are
// exempt: they seed and inspect real SQLite files) for what only database code does:
//   - importing better-sqlite3 (import, import type, export from, require, dynamic import);
//   - calling a better-sqlite3 Database's statement methods: .prepare(, .pragma(, .transaction(,
//     and .exec( when it is handed SQL text (a string or template literal) or called on something named
//     like a database (db, lockDb, database) — RegExp#exec, which takes the text it searches, is not.
// Sources are parsed with TypeScript's own parser, so comments and strings that mention these names do not count.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');
const STORE = 'src-main/core/store/';
const DB_METHODS = new Set(['prepare', 'pragma', 'transaction']);
const DB_NAME = /(^|[^a-z])(db|database|sqlite)$/i;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) return f === 'node_modules' ? [] : sources(p);
    return /\.(ts|tsx|mts|cts)$/.test(f) && !/\.test\.tsx?$/.test(f) ? [p] : [];
  });
}

/** Each database use in `code` as "line: what", by the rules in the header. */
function databaseUses(fileName: string, code: string): string[] {
  const sf = ts.createSourceFile(fileName, code, ts.ScriptTarget.ES2022, true);
  const out: string[] = [];
  const at = (n: ts.Node, what: string) => out.push(`${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}: ${what}`);
  const isSqlite = (n: ts.Node | undefined) => !!n && ts.isStringLiteralLike(n) && n.text === 'better-sqlite3';
  const visit = (n: ts.Node) => {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && isSqlite(n.moduleSpecifier)) at(n, 'imports better-sqlite3');
    if (ts.isImportEqualsDeclaration(n) && ts.isExternalModuleReference(n.moduleReference) && isSqlite(n.moduleReference.expression)) at(n, 'imports better-sqlite3');
    if (ts.isCallExpression(n)) {
      const callee = n.expression;
      if ((callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) && isSqlite(n.arguments[0])) at(n, 'imports better-sqlite3');
      if (ts.isPropertyAccessExpression(callee)) {
        const method = callee.name.text;
        const receiver = callee.expression;
        if (DB_METHODS.has(method)) at(n, `.${method}(`);
        else if (method === 'exec' && receiver.kind !== ts.SyntaxKind.RegularExpressionLiteral) {
          const first = n.arguments[0];
          const sqlText = !!first && (ts.isStringLiteralLike(first) || ts.isTemplateExpression(first));
          const named = DB_NAME.test(ts.isPropertyAccessExpression(receiver) ? receiver.name.text : receiver.getText(sf));
          if (sqlText || named) at(n, '.exec(');
        }
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

describe('SQL placement', () => {
  it('finds each kind of database use, and not RegExp#exec or a mention in a comment or string', () => {
    const code = [
      "import Database from 'better-sqlite3';",
      "import type { Statement } from 'better-sqlite3';",
      "export type { Database as D } from 'better-sqlite3';",
      "import Sqlite = require('better-sqlite3');",
      "const lazy = await import('better-sqlite3');",
      "const req = require('better-sqlite3');",
      "db.prepare('SELECT 1').get();",
      "app.db.pragma('wal_checkpoint(TRUNCATE)');",
      'db.transaction(() => undefined)();',
      "lockDb.exec('BEGIN EXCLUSIVE');",
      'handle.exec(`DELETE FROM ${table}`);',
      'this.database.exec(sql);',
      'const m = /^(\\d+)$/.exec(text);',
      'const n = NAME.exec(line.trim());',
      "// db.prepare('in a comment') and better-sqlite3",
      "const s = 'db.prepare(\"in a string\")';",
    ].join('\n');
    expect(databaseUses('sample.ts', code)).toEqual([
      '1: imports better-sqlite3',
      '2: imports better-sqlite3',
      '3: imports better-sqlite3',
      '4: imports better-sqlite3',
      '5: imports better-sqlite3',
      '6: imports better-sqlite3',
      '7: .prepare(',
      '8: .pragma(',
      '9: .transaction(',
      '10: .exec(',
      '11: .exec(',
      '12: .exec(',
    ]);
  });

  it('sees the database code in core/store (what it guards is there to be seen)', () => {
    const store = sources(path.join(ROOT, STORE)).map((f) => ({ f, uses: databaseUses(f, readFileSync(f, 'utf8')) }));
    expect(store.filter((s) => s.uses.length).map((s) => path.relative(ROOT, s.f))).toEqual(
      expect.arrayContaining(['src-main/core/store/db.ts', 'src-main/core/store/events.ts', 'src-main/core/store/containers.ts', 'src-main/core/store/metrics/store.ts']),
    );
  });

  it('has no SQL and no better-sqlite3 in src-main outside core/store (tests aside)', () => {
    const offenders = sources(path.join(ROOT, 'src-main'))
      .filter((f) => !path.relative(ROOT, f).split(path.sep).join('/').startsWith(STORE))
      .flatMap((f) => databaseUses(f, readFileSync(f, 'utf8')).map((u) => `${path.relative(ROOT, f)}:${u}`));
    expect(offenders).toEqual([]);
  });
});
