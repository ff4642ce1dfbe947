// `mlenv models …`, `mlenv tier …` and `mlenv select …`: the model library, tier placement and
// selection from a terminal. Requests go to the running app when it answers (it owns the engine and
// the moves), else to a core of this process that owns the data folder for the command. Moves wait
// for their job to finish unless --no-wait (a command's own core always waits: its moves end with it).
import type { Model, ModelSpecInput, Selection, TierJob, TierLimits, TierStatus } from '@shared/contract';
import { formatBytes, parseBytes } from '@shared/units';
import { parse, UsageError } from './args';
import { withCore, type CliCore } from './core';
import { DATA_DIR_OPTION, printJson, table } from './docker-common';

export const MODELS_USAGE = [
  'mlenv models list [--json] [--data-dir DIR]',
  'mlenv models add NAME (--image IMAGE | --catalog REPOSITORY[:TAG]) --port N --capability TASK… [--declared SIZE] [--probe http:/PATH|tcp]',
  '    [--quality 0-1] [--speed 0-1] [--env K=V…] [--shm-size SIZE] [--gpus SPEC] [--pin] [--tier cold|warm|hot] [--json] [--data-dir DIR] [-- COMMAND…]',
  'mlenv models remove NAME [--force] [--data-dir DIR]',
].join('\n  ');
export const TIER_USAGE = [
  'mlenv tier status [--json] [--data-dir DIR]',
  'mlenv tier move MODEL hot|warm|swap|cold [--no-wait] [--json] [--data-dir DIR]',
  'mlenv tier limits [--ram SIZE] [--swap SIZE] [--margin SIZE] [--idle SECONDS|off] [--json] [--data-dir DIR]',
].join('\n  ');
export const SELECT_USAGE = 'mlenv select --task TASK [--capability TASK…] [--priority speed|quality|balanced] [--mode auto|hybrid|manual] [--model NAME] [--json] [--data-dir DIR]';

/** A move from a terminal waits this long at most (a cold start loads its weights); the app's own readiness timeout ends it sooner. */
const MOVE_WAIT_MS = 3600_000;

const ms = (n: number) => (n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(1)} s`);
const mib = (b: number | null) => formatBytes(b);

function modelRow(m: Model): string[] {
  return [m.name, m.tier + (m.movingJobId ? ' (moving)' : ''), `${mib(m.footprintBytes)}${m.measuredBytes === null ? ' (declared)' : ''}`, m.tier === 'hot' ? '—' : ms(m.predictedWake.ms), m.pinned ? 'yes' : '', m.capabilities.join(','), m.image];
}

function jobLine(j: TierJob): string {
  const took = j.actualMs === null ? '' : ` in ${ms(j.actualMs)}`;
  const predicted = j.prediction ? ` (predicted ${ms(j.prediction.ms)})` : '';
  const tail = j.state === 'done' ? (j.verification ? `: ${j.verification}` : '') : j.error ? `: ${j.error}` : '';
  return `${j.model}: ${j.from} → ${j.to} ${j.state}${took}${predicted}${tail}\n`;
}

function statusText(s: TierStatus): string {
  const used = `RAM tier ${mib(s.ramUsedBytes)} of ${mib(s.limits.ramBudgetBytes)} (margin ${mib(s.limits.safetyMarginBytes)}${s.ramBookedBytes ? `, ${mib(s.ramBookedBytes)} booked by moves` : ''})`;
  const swap = s.swap.supported ? `swap tier ${mib(s.tiers.find((t) => t.tier === 'swap')!.usedBytes)} of ${mib(s.limits.swapBudgetBytes)}` : `swap tier unsupported: ${s.swap.reason}`;
  const tiers = s.tiers.map((t) => `${t.tier.padEnd(5)} ${t.models.length ? t.models.join(', ') : '—'}`).join('\n');
  return `${used}\n${swap}\n\n${tiers}\n\n${table(['MODEL', 'TIER', 'FOOTPRINT', 'WAKE', 'PINNED', 'CAPABILITIES', 'IMAGE'], s.models.map(modelRow))}`;
}

function limitsText(l: TierLimits): string {
  return [
    `RAM budget     ${mib(l.ramBudgetBytes)} (the host allows up to ${mib(l.maxRamBudgetBytes)})`,
    `swap budget    ${mib(l.swapBudgetBytes)}`,
    `safety margin  ${mib(l.safetyMarginBytes)}`,
    `idle demotion  ${l.idleDemoteSeconds === null ? 'off' : `hot → warm after ${l.idleDemoteSeconds} s unused, warm → cold after ${2 * l.idleDemoteSeconds} s`}`,
  ].join('\n') + '\n';
}

function selectionText(s: Selection): string {
  const head = s.model ? `${s.model} (${s.tier}, ready in about ${ms(s.predictedReady?.ms ?? 0)})` : 'no model';
  const rows = s.candidates.map((c) => [c.model, c.score.toFixed(3), c.tier, ms(c.predictedReadyMs)]);
  return `${head}\n${s.reason}\n${rows.length ? `\n${table(['CANDIDATE', 'SCORE', 'TIER', 'READY IN'], rows)}` : ''}`;
}

const number01 = (flag: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(n >= 0 && n <= 1)) throw new UsageError(`--${flag} ${v}: use a number from 0 to 1`);
  return n;
};

const size = (flag: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  try {
    return parseBytes(v);
  } catch (e) {
    throw new UsageError(`--${flag} ${v}: ${(e as Error).message}`);
  }
};

/** "http:/v1/models" or "tcp". */
function probeOf(v: string | undefined): ModelSpecInput['probe'] {
  if (v === undefined) return undefined;
  if (v === 'tcp') return { kind: 'tcp' };
  if (v.startsWith('http:/')) return { kind: 'http', path: v.slice('http:'.length) };
  throw new UsageError(`--probe ${v}: use http:/PATH (e.g. http:/health) or tcp`);
}

const MODELS_OPTIONS = {
  ...DATA_DIR_OPTION,
  json: { type: 'boolean' },
  image: { type: 'string' },
  catalog: { type: 'string' },
  port: { type: 'string' },
  capability: { type: 'string', multiple: true },
  declared: { type: 'string' },
  probe: { type: 'string' },
  quality: { type: 'string' },
  speed: { type: 'string' },
  env: { type: 'string', multiple: true },
  'shm-size': { type: 'string' },
  gpus: { type: 'string' },
  pin: { type: 'boolean' },
  tier: { type: 'string' },
  force: { type: 'boolean' },
} as const;

export async function models(argv: string[]): Promise<void> {
  const dash = argv.indexOf('--');
  const command = dash >= 0 ? argv.slice(dash + 1) : [];
  const { values, positionals } = parse(dash >= 0 ? argv.slice(0, dash) : argv, MODELS_OPTIONS);
  const [sub, name, ...extra] = positionals;
  const run = async (fn: (core: CliCore) => Promise<unknown>): Promise<void> => void (await withCore(values['data-dir'], { command: `mlenv models ${sub}`, readOnly: sub === 'list' }, fn));
  switch (sub) {
    case 'list':
      return run(async (core) => {
        const list = await core.call('models.list', {});
        if (values.json) return printJson(list);
        process.stdout.write(list.length ? table(['MODEL', 'TIER', 'FOOTPRINT', 'WAKE', 'PINNED', 'CAPABILITIES', 'IMAGE'], list.map(modelRow)) : 'no models: add one with mlenv models add\n');
      });
    case 'add': {
      if (!name || extra.length) throw new UsageError(`usage:\n  ${MODELS_USAGE}`);
      if ((values.image === undefined) === (values.catalog === undefined)) throw new UsageError('give --image IMAGE or --catalog REPOSITORY[:TAG] (one of them)');
      if (values.port === undefined || !/^\d{1,5}$/.test(values.port)) throw new UsageError('--port N: the port the model server listens on inside its container');
      if (!values.capability?.length) throw new UsageError('--capability TASK: at least one task it serves (text-generation, embedding, asr, …)');
      const tier = values.tier ?? 'cold';
      if (tier !== 'cold' && tier !== 'warm' && tier !== 'hot') throw new UsageError(`--tier ${tier}: use cold, warm or hot`);
      const declared = size('declared', values.declared ?? '1g')!;
      let catalog: ModelSpecInput['catalog'];
      if (values.catalog !== undefined) {
        const at = values.catalog.lastIndexOf(':');
        const hasTag = at > values.catalog.lastIndexOf('/');
        catalog = hasTag ? { repository: values.catalog.slice(0, at), tag: values.catalog.slice(at + 1) } : { repository: values.catalog };
      }
      const model: ModelSpecInput = {
        name,
        ...(values.image !== undefined
          ? {
              launch: {
                image: values.image,
                ...(values.env?.length ? { env: values.env } : {}),
                ...(values['shm-size'] ? { shmSize: values['shm-size'] } : {}),
                ...(values.gpus ? { gpus: values.gpus } : {}),
                ...(command.length ? { command } : {}),
                init: true,
              },
            }
          : { catalog }),
        capabilities: values.capability,
        port: Number(values.port),
        declaredBytes: declared,
        ...(values.probe !== undefined ? { probe: probeOf(values.probe) } : {}),
        ...(values.quality !== undefined ? { quality: number01('quality', values.quality) } : {}),
        ...(values.speed !== undefined ? { speed: number01('speed', values.speed) } : {}),
        ...(values.pin ? { pinned: true } : {}),
      };
      return run(async (core) => {
        const r = await core.call('models.add', { model, tier });
        let job = r.job;
        // Hot-load: the job runs in the app; a command's own core waits, since its moves end with it.
        if (job && core.app) job = await waitJob(core, job);
        if (values.json) return printJson({ model: r.model, job });
        process.stdout.write(`added ${r.model.name} (${r.model.image})\n${job ? jobLine(job) : ''}`);
      });
    }
    case 'remove':
      if (!name || extra.length) throw new UsageError(`usage:\n  ${MODELS_USAGE}`);
      return run(async (core) => {
        await core.call('models.remove', { name, force: values.force === true }, MOVE_WAIT_MS);
        process.stdout.write(`removed ${name}\n`);
      });
    default:
      throw new UsageError(`usage:\n  ${MODELS_USAGE}`);
  }
}

/** Polls a job until it has finished (done, failed, rolled back). */
async function waitJob(core: CliCore, job: TierJob): Promise<TierJob> {
  let j = job;
  while (j.state === 'queued' || j.state === 'running' || j.state === 'verifying') {
    await new Promise((r) => setTimeout(r, 100));
    j = await core.call('tiers.job', { id: j.id });
  }
  return j;
}

const TIER_OPTIONS = {
  ...DATA_DIR_OPTION,
  json: { type: 'boolean' },
  'no-wait': { type: 'boolean' },
  ram: { type: 'string' },
  swap: { type: 'string' },
  margin: { type: 'string' },
  idle: { type: 'string' },
} as const;

export async function tier(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, TIER_OPTIONS);
  const [sub, ...rest] = positionals;
  const run = async (readOnly: boolean, fn: (core: CliCore) => Promise<unknown>): Promise<void> => void (await withCore(values['data-dir'], { command: `mlenv tier ${sub}`, readOnly }, fn));
  switch (sub) {
    case 'status':
      if (rest.length) throw new UsageError(`usage:\n  ${TIER_USAGE}`);
      return run(true, async (core) => {
        const s = await core.call('tiers.status', {});
        if (values.json) return printJson(s);
        process.stdout.write(statusText(s));
      });
    case 'move': {
      const [model, to, ...extra] = rest;
      if (!model || !to || extra.length) throw new UsageError(`usage:\n  ${TIER_USAGE}`);
      if (to !== 'hot' && to !== 'warm' && to !== 'swap' && to !== 'cold') throw new UsageError(`${to}: the tiers are hot, warm, swap and cold`);
      return run(false, async (core) => {
        const wait = !values['no-wait'] || core.app !== undefined;
        const job = await core.call('tiers.move', { model, to, wait }, MOVE_WAIT_MS);
        if (values.json) return printJson(job);
        process.stdout.write(wait ? jobLine(job) : `queued ${job.model}: ${job.from} → ${job.to} (job ${job.id}; mlenv tier status shows where it is)\n`);
        if (job.state === 'failed' || job.state === 'rolled_back') process.exitCode = 1;
      });
    }
    case 'limits': {
      if (rest.length) throw new UsageError(`usage:\n  ${TIER_USAGE}`);
      const idle = values.idle === undefined ? undefined : values.idle === 'off' ? null : /^\d+$/.test(values.idle) ? Number(values.idle) : NaN;
      if (Number.isNaN(idle)) throw new UsageError(`--idle ${values.idle}: seconds, or off`);
      const patch = {
        ...(values.ram !== undefined ? { ramBudgetBytes: size('ram', values.ram) } : {}),
        ...(values.swap !== undefined ? { swapBudgetBytes: size('swap', values.swap) } : {}),
        ...(values.margin !== undefined ? { safetyMarginBytes: size('margin', values.margin) } : {}),
        ...(idle !== undefined ? { idleDemoteSeconds: idle } : {}),
      };
      const change = Object.keys(patch).length > 0;
      return run(!change, async (core) => {
        const l = change ? await core.call('tiers.setLimits', { patch }) : await core.call('tiers.limits', {});
        if (values.json) return printJson(l);
        process.stdout.write(limitsText(l));
      });
    }
    default:
      throw new UsageError(`usage:\n  ${TIER_USAGE}`);
  }
}

const SELECT_OPTIONS = {
  ...DATA_DIR_OPTION,
  json: { type: 'boolean' },
  task: { type: 'string' },
  capability: { type: 'string', multiple: true },
  priority: { type: 'string' },
  mode: { type: 'string' },
  model: { type: 'string' },
} as const;

export async function select(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, SELECT_OPTIONS);
  if (positionals.length) throw new UsageError(`usage: ${SELECT_USAGE}`);
  const priority = values.priority ?? 'balanced';
  if (priority !== 'speed' && priority !== 'quality' && priority !== 'balanced') throw new UsageError(`--priority ${priority}: use speed, quality or balanced`);
  const mode = values.mode ?? (values.model ? 'hybrid' : 'auto');
  if (mode !== 'auto' && mode !== 'hybrid' && mode !== 'manual') throw new UsageError(`--mode ${mode}: use auto, hybrid or manual`);
  if (!values.task && !values.capability?.length && mode !== 'manual') throw new UsageError('--task TASK: what the model must do (text-generation, embedding, asr, …)');
  await withCore(values['data-dir'], { command: 'mlenv select', readOnly: true }, async (core) => {
    const s = await core.call('tiers.select', {
      mode,
      priority,
      ...(values.task ? { task: values.task } : {}),
      capabilities: values.capability ?? [],
      ...(values.model ? { model: values.model } : {}),
    });
    if (!s.model) process.exitCode = 1;
    if (values.json) return printJson(s);
    process.stdout.write(selectionText(s));
  });
}
