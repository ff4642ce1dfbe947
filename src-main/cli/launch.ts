// `mlenv launch <repository>[:tag]`: the catalog's one-click launch from a terminal — the same plan
// (newest tag for this architecture, GPUs, NVIDIA's flags, JupyterLab, the project folder) and the
// same gate as the app's Launch button, acting as `cli`. The choices remembered for the image (the app's
// Customise…) apply, --gpus/--memory/--cpus each replacing one of them; --remember keeps the result for
// the image's next launches. `--dry-run` prints the docker run line and launches nothing.
import path from 'node:path';
import type { LaunchOverrides, LaunchPlan, PullProgress } from '@shared/contract';
import { formatBytes } from '@shared/units';
import { gpusAnswered } from '../core/catalog/launch';
import { parse, UsageError } from './args';
import { withCore, type CliCore } from './core';
import { DATA_DIR_OPTION, printJson } from './docker-common';

export const LAUNCH_USAGE =
  'mlenv launch <repository>[:tag] [--gpus all|N|"device=0,1"|none] [--memory SIZE] [--cpus N] [--project DIR | --no-project] [--engine ID] [--remember] [--dry-run] [--json] [--data-dir DIR]';

/** How long the sampler of this command's own core may take to say which GPUs there are (nvidia-smi's first answer). */
const GPU_PROBE_MS = 15_000;
/** A launch that pulls may take as long as the download: the running app is waited for this long at most. */
const PULL_WAIT_MS = 6 * 3600_000;
/** A launch of an image already there: create and start. */
const START_WAIT_MS = 120_000;

/**
 * "nvidia/pytorch:25.12-py3" → repository and tag. The tag follows the last ":" after the last "/" (a
 * registry's port comes before a "/"); "nvcr.io/" in front of an NGC repository is dropped, as the
 * catalog keys NGC images by their path on nvcr.io.
 */
export function splitReference(text: string): { repository: string; tag?: string } {
  const at = text.lastIndexOf(':');
  const hasTag = at > text.lastIndexOf('/');
  const repository = (hasTag ? text.slice(0, at) : text).replace(/^nvcr\.io\//, '');
  return hasTag ? { repository, tag: text.slice(at + 1) } : { repository };
}

/** This command's own core (no app answered): its sampler runs until the GPU tool has answered once, so the plan knows the GPUs. */
async function sampleGpus(core: CliCore): Promise<void> {
  const app = core.app;
  if (!app) return;
  await app.sampler.start();
  const end = Date.now() + GPU_PROBE_MS;
  while (!gpusAnswered(app.sampler.latest()) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
}

/** Pull progress on a terminal: one line rewritten in place; nothing when stderr is not a terminal. */
function progressPrinter(image: string) {
  let shown = false;
  return {
    show(p: PullProgress) {
      if (p.ref !== image || !process.stderr.isTTY) return;
      const of = p.total ? ` ${formatBytes(p.current)} of ${formatBytes(p.total)}` : '';
      process.stderr.write(`\rpulling ${image}:${of}${p.done ? ' done' : ''}\x1b[K`);
      shown = true;
    },
    end() {
      if (shown) process.stderr.write('\n');
    },
  };
}

export async function launch(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, {
    gpus: { type: 'string' },
    memory: { type: 'string' },
    cpus: { type: 'string' },
    project: { type: 'string' },
    'no-project': { type: 'boolean' },
    engine: { type: 'string' },
    remember: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    json: { type: 'boolean' },
    ...DATA_DIR_OPTION,
  });
  if (positionals.length !== 1) throw new UsageError(`name one catalog repository: ${LAUNCH_USAGE}`);
  if (values.project !== undefined && values['no-project']) throw new UsageError(`--project and --no-project exclude each other: ${LAUNCH_USAGE}`);
  if (values.remember && values['dry-run']) throw new UsageError(`--remember keeps the choices of a launch, and a dry run launches nothing: ${LAUNCH_USAGE}`);
  const { repository, tag } = splitReference(positionals[0]!);
  const overrides: LaunchOverrides = {
    ...(values.gpus !== undefined ? { gpus: values.gpus } : {}),
    ...(values.memory !== undefined ? { memory: values.memory } : {}),
    ...(values.cpus !== undefined ? { cpus: values.cpus } : {}),
  };
  const base = {
    repository,
    ...(tag !== undefined ? { tag } : {}),
    ...(values.engine !== undefined ? { engine: values.engine } : {}),
    // A relative folder is this shell's, as for any command-line path.
    ...(values['no-project'] ? { projectDir: null } : values.project !== undefined ? { projectDir: path.resolve(values.project) } : {}),
  };
  const dryRun = values['dry-run'] === true;

  await withCore(values['data-dir'], { command: 'mlenv launch', readOnly: dryRun }, async (core) => {
    await sampleGpus(core);
    let plan: LaunchPlan = await core.call('catalog.plan', base);
    // The flags change the choices remembered for the image (the app's Customise…), field by field.
    const target = Object.keys(overrides).length ? { ...base, overrides: { ...plan.overrides, ...overrides } } : base;
    if (target !== base) plan = await core.call('catalog.plan', target);
    const notes = () => {
      for (const n of plan.notes) process.stderr.write(`note: ${n}\n`);
    };
    if (dryRun) {
      if (values.json) return printJson(plan);
      notes();
      process.stdout.write(`${plan.dockerRun}\n`);
      return;
    }
    if (!values.json) notes();
    const progress = progressPrinter(plan.image);
    if (!plan.pulled) {
      core.onEvent((name, payload) => name === 'pull.progress' && progress.show(payload as PullProgress));
      await core.call('events.subscribe', { names: ['pull.progress'] });
    }
    try {
      const d = await core.call('catalog.launch', { ...target, tag: plan.tag, remember: values.remember === true }, plan.pulled ? START_WAIT_MS : PULL_WAIT_MS);
      progress.end();
      if (values.json) return printJson(d);
      const jupyter = d.ports.find((p) => p.containerPort === 8888 && p.hostPort);
      process.stdout.write(`${d.name}\n`);
      if (jupyter) process.stderr.write(`JupyterLab: port ${jupyter.hostPort} on ${jupyter.hostIp || 'every address'}; its link with the token: mlenv logs ${d.name}\n`);
    } catch (e) {
      progress.end();
      throw e;
    }
  });
}
