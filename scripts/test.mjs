#!/usr/bin/env node
// `npm test`: the whole suite, in the order its parts need — build, typecheck, unit and
// integration tests (vitest), the engine-restart tests alone (they kill dockerd), then the e2e
// specs in Chromium (Playwright). Ends with one line "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const out = mkdtempSync(path.join(os.tmpdir(), 'mlenv-test-report-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
let failedStep;

function step(name, cmd, args, env = {}) {
  if (failedStep) return;
  console.log(`\n=== ${name}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) failedStep = name;
}
function countVitest(file) {
  if (!existsSync(file)) return;
  const j = JSON.parse(readFileSync(file, 'utf8'));
  totals.passed += j.numPassedTests;
  totals.failed += j.numFailedTests;
  totals.skipped += j.numPendingTests + (j.numTodoTests ?? 0);
}
function countPlaywright(file) {
  if (!existsSync(file)) return;
  const s = JSON.parse(readFileSync(file, 'utf8')).stats;
  totals.passed += s.expected + s.flaky;
  totals.failed += s.unexpected;
  totals.skipped += s.skipped;
}

const node = process.execPath;
const vitest = ['node_modules/vitest/vitest.mjs', 'run'];
step('build', node, ['scripts/build.mjs']);
step('typecheck', 'npm', ['run', '--silent', 'typecheck']);
step('unit + integration (vitest)', node, [...vitest, '--exclude', '**/*.engine-restart.test.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${out}/vitest.json`]);
countVitest(`${out}/vitest.json`);
step('engine restart (vitest, alone)', node, [...vitest, 'engine-restart', '--reporter=default', '--reporter=json', `--outputFile.json=${out}/vitest-restart.json`], { MLENV_ENGINE_RESTART_TEST: '1' });
countVitest(`${out}/vitest-restart.json`);
step('end to end (Playwright + Chromium)', node, ['node_modules/@playwright/test/cli.js', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: `${out}/playwright.json` });
countPlaywright(`${out}/playwright.json`);

console.log(`\n${failedStep ? `FAILED at: ${failedStep}` : 'all steps passed'}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedStep ? 1 : 0);
