// `npm run bench [-- --out FILE] [-- --only PREFIX]`: runs every figure group and writes one JSON report.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { admissionFigures } from './figures/admission';
import { catalogFigures } from './figures/catalog';
import { dockerFigures } from './figures/docker';
import { historyFigures } from './figures/history';
import { launchFigures } from './figures/launch';
import { samplerFigures } from './figures/sampler';
import { tiersFigures } from './figures/tiers';
import { tiersPlanFigures } from './figures/tiers-plan';
import type { BenchContext, Figures } from './report';
import { BenchSetupError } from './test-image';

const GROUPS: Record<string, (ctx: BenchContext) => Promise<Figures>> = {
  sampler: samplerFigures,
  history: historyFigures,
  docker: dockerFigures,
  catalog: catalogFigures,
  launch: launchFigures,
  'tiers-plan': tiersPlanFigures,
  tiers: tiersFigures,
  admission: admissionFigures,
};

const { values } = parseArgs({ options: { out: { type: 'string', default: 'bench-report.json' }, only: { type: 'string' } } });
const dirs: string[] = [];
const ctx: BenchContext = {
  quick: process.env.MLENV_BENCH_QUICK === '1',
  tmpDir: () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'mlenv-bench-'));
    dirs.push(d);
    return d;
  },
};

const figures: Figures = {};
let setupFailed = false;
try {
  for (const [name, group] of Object.entries(GROUPS)) {
    if (values.only && !name.startsWith(values.only)) continue;
    process.stderr.write(`bench: ${name}…\n`);
    Object.assign(figures, await group(ctx));
  }
} catch (e) {
  if (!(e instanceof BenchSetupError)) throw e;
  process.stderr.write(`bench: ${e.message}\n`);
  setupFailed = true;
} finally {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
if (setupFailed) process.exit(1);

const report = {
  createdAt: new Date().toISOString(),
  machine: { cpus: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: process.platform },
  figures,
};
writeFileSync(values.out!, JSON.stringify(report, null, 2) + '\n');
for (const [name, f] of Object.entries(figures)) {
  const base = f.baseline !== undefined ? `  (baseline ${f.baseline}, ratio ${f.ratio})` : '';
  const goal = f.goal ? `  goal ${f.goal}: ${f.met ? 'met' : 'MISSED'}` : '';
  process.stdout.write(`${name.padEnd(44)} ${String(f.value).padStart(10)} ${f.unit}${base}${goal}\n`);
}
process.stdout.write(`report written to ${values.out}\n`);
process.exit(0);
