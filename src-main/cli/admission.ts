// `mlenv admission …` and `mlenv quota …`: what a launch would get now (every check with its numbers,
// ADMITTED or REJECTED, as the original tool's `admission_check 16 4 1`), the recorded decisions, the
// policy's modes and thresholds, project quotas and the audit. Through the running app when one
// answers; else a core of this process (read-only for what only reads).
import { ADMISSION_CHECK_IDS, ADMISSION_MODES, ADMISSION_OUTCOMES, type AdmissionCheck, type AdmissionDecision, type AdmissionPolicy, type AdmissionPolicyPatch, type ProjectQuotaView, type RequestInput } from '@shared/contract';
import { formatBytes, parseBytes } from '@shared/units';
import { parse, UsageError } from './args';
import { withCore } from './core';
import { DATA_DIR_OPTION, printJson, table } from './docker-common';

export const ADMISSION_USAGE = [
  'mlenv admission check [--memory 16g] [--cpus 4] [--gpus 1] [--image REF] [--pull-size 5g] [--project P] [--engine ID] [--json] [--data-dir DIR]',
  'mlenv admission check --container <id|name> [--engine ID] [--json] [--data-dir DIR]   (the start of an existing container)',
  'mlenv admission mode [enforce|dry_run|audit] [--data-dir DIR]',
  'mlenv admission mode enforce|dry_run|audit|inherit --check ID [--data-dir DIR]   (one check’s mode; inherit: back to the policy mode)',
  'mlenv admission policy [--json] [--data-dir DIR]',
  'mlenv admission set KEY=VALUE… [--data-dir DIR]',
  'mlenv admission decisions [--outcome admitted|rejected|violation] [--project P] [--container C] [--limit N] [--json] [--data-dir DIR]',
  'mlenv admission audit [--json] [--data-dir DIR]',
].join('\n  ');
export const QUOTA_USAGE = [
  'mlenv quota set <project> [--containers N|none] [--memory 16g|none] [--cpus 8|none] [--gpus N|none] [--json] [--data-dir DIR]',
  'mlenv quota show [<project>] [--json] [--data-dir DIR]',
  'mlenv quota rm <project> [--data-dir DIR]',
].join('\n  ');
const admissionUsage = (why?: string) => new UsageError(`${why ? `${why}; ` : ''}usage:\n  ${ADMISSION_USAGE}`);
const quotaUsage = (why?: string) => new UsageError(`${why ? `${why}; ` : ''}usage:\n  ${QUOTA_USAGE}`);

const STATUS = { pass: 'PASS', fail: 'FAIL', unknown: 'UNKNOWN' } as const;

/** One decision as a person reads it: the verdict line, then every check (failed first) with its sentence and what to do. */
export function formatDecision(d: AdmissionDecision): string {
  const verdict = d.admitted ? 'ADMITTED' : 'REJECTED';
  const note = d.admitted && d.wouldReject ? ` (${d.mode} mode: enforce would refuse)` : d.mode !== 'enforce' ? ` (${d.mode} mode)` : '';
  const line = (c: AdmissionCheck) =>
    `  ${STATUS[c.status].padEnd(8)}${c.label}: ${c.sentence}${c.canNeverFit ? ' [can never fit here]' : ''}${c.remedy ? `\n            → ${c.remedy}` : ''}${c.mode !== d.mode ? `  (check in ${c.mode} mode)` : ''}\n`;
  return `${verdict}${note}: ${d.summary}\n${d.checks.map(line).join('')}`;
}

function formatPolicy(p: AdmissionPolicy): string {
  const t = p.thresholds;
  const overrides = Object.entries(p.checks);
  return [
    `Mode: ${p.mode}${p.updatedAt ? ` (changed ${new Date(p.updatedAt).toISOString()} by ${p.updatedBy})` : ' (default)'}`,
    `Unknown figures: ${p.unknown === 'refuse' ? 'refuse (under enforce)' : 'pass with a warning'}`,
    overrides.length ? `Per-check modes: ${overrides.map(([id, m]) => `${id}=${m}`).join(', ')}` : 'Per-check modes: none (every check runs in the policy mode)',
    `Memory after launch ≤ ${t.memoryMaxPercent} %; free memory after ≥ ${formatBytes(t.memoryMinFreeBytes)}; a launch without a limit counts ${formatBytes(t.defaultMemoryBytes)}`,
    `CPU ≤ ${t.cpuMaxPercent} % over ${t.cpuWindowSeconds} s; load ≤ ${t.loadMaxPerCore} × cores`,
    `GPU memory free ≥ ${t.gpuMemoryMarginMiB} MiB; disk free after a pull ≥ ${formatBytes(t.diskMarginBytes)}`,
    `A reservation expires after ${t.reservationTtlSeconds} s`,
    '',
  ].join('\n');
}

const THRESHOLD_KEYS = ['memoryMaxPercent', 'memoryMinFreeBytes', 'cpuMaxPercent', 'cpuWindowSeconds', 'loadMaxPerCore', 'gpuMemoryMarginMiB', 'diskMarginBytes', 'defaultMemoryBytes', 'reservationTtlSeconds'] as const;
const BYTE_KEYS = new Set(['memoryMinFreeBytes', 'diskMarginBytes', 'defaultMemoryBytes']);

/** `KEY=VALUE` words → a policy patch: thresholds by name (sizes as 4g), and unknown=refuse|warn. */
export function policyPatchFrom(words: string[]): AdmissionPolicyPatch {
  if (!words.length) throw new UsageError(`say what to set, e.g. mlenv admission set memoryMaxPercent=80 unknown=warn (keys: ${THRESHOLD_KEYS.join(', ')}, unknown)`);
  const thresholds: Record<string, number> = {};
  let unknown: 'refuse' | 'warn' | undefined;
  for (const w of words) {
    const i = w.indexOf('=');
    const key = w.slice(0, i);
    const value = w.slice(i + 1);
    if (i < 1 || !value) throw new UsageError(`"${w}" is not KEY=VALUE`);
    if (key === 'unknown') {
      if (value !== 'refuse' && value !== 'warn') throw new UsageError(`unknown=${value}: use refuse or warn`);
      unknown = value;
    } else if ((THRESHOLD_KEYS as readonly string[]).includes(key)) {
      let n: number;
      try {
        n = BYTE_KEYS.has(key) ? parseBytes(value) : Number(value);
      } catch (e) {
        throw new UsageError(`${key}: ${(e as Error).message}`);
      }
      if (!Number.isFinite(n)) throw new UsageError(`${key}=${value}: not a number`);
      thresholds[key] = n;
    } else throw new UsageError(`unknown key "${key}": use ${THRESHOLD_KEYS.join(', ')} or unknown`);
  }
  return { ...(Object.keys(thresholds).length ? { thresholds } : {}), ...(unknown ? { unknown } : {}) };
}

export async function admission(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'check': {
      const { values, positionals } = parse(rest, {
        memory: { type: 'string' },
        cpus: { type: 'string' },
        gpus: { type: 'string' },
        image: { type: 'string' },
        'pull-size': { type: 'string' },
        project: { type: 'string' },
        engine: { type: 'string' },
        container: { type: 'string' },
        json: { type: 'boolean' },
        ...DATA_DIR_OPTION,
      });
      if (positionals.length) throw admissionUsage(`unexpected ${positionals.join(' ')}`);
      let pullBytes: number | undefined;
      if (values['pull-size'] !== undefined) {
        try {
          pullBytes = parseBytes(values['pull-size']);
        } catch (e) {
          throw new UsageError(`--pull-size: ${(e as Error).message}`);
        }
      }
      const input: RequestInput<'admission.check'> = {
        ...(values.memory !== undefined ? { memory: values.memory } : {}),
        ...(values.cpus !== undefined ? { cpus: values.cpus } : {}),
        ...(values.gpus !== undefined ? { gpus: values.gpus } : {}),
        ...(values.image !== undefined ? { image: values.image } : {}),
        ...(pullBytes !== undefined ? { pullBytes } : {}),
        ...(values.project !== undefined ? { project: values.project } : {}),
        ...(values.engine !== undefined ? { engine: values.engine } : {}),
        ...(values.container !== undefined ? { container: values.container } : {}),
      };
      const d = await withCore(values['data-dir'], { command: 'mlenv admission check', readOnly: true }, (core) => core.call('admission.check', input));
      if (values.json) printJson(d);
      else process.stdout.write(formatDecision(d));
      if (!d.admitted) process.exitCode = 1;
      return;
    }
    case 'mode': {
      const { values, positionals } = parse(rest, { check: { type: 'string' }, ...DATA_DIR_OPTION });
      if (positionals.length > 1) throw admissionUsage();
      const [mode] = positionals;
      if (mode === undefined) {
        if (values.check) throw new UsageError('--check needs a mode: mlenv admission mode audit --check gpu_memory');
        const p = await withCore(values['data-dir'], { command: 'mlenv admission mode', readOnly: true }, (core) => core.call('admission.policy', {}));
        return void process.stdout.write(`${p.mode}\n`);
      }
      const inherit = mode === 'inherit';
      if (!(ADMISSION_MODES as readonly string[]).includes(mode) && !(inherit && values.check)) {
        throw new UsageError(`"${mode}" is not a mode: use ${ADMISSION_MODES.join(', ')}${values.check ? ', or inherit (the policy mode)' : ''}`);
      }
      if (values.check && !(ADMISSION_CHECK_IDS as readonly string[]).includes(values.check)) throw new UsageError(`--check ${values.check}: use one of ${ADMISSION_CHECK_IDS.join(', ')}`);
      const patch: AdmissionPolicyPatch = values.check
        ? { checks: { [values.check]: inherit ? null : (mode as (typeof ADMISSION_MODES)[number]) } }
        : { mode: mode as (typeof ADMISSION_MODES)[number] };
      const p = await withCore(values['data-dir'], { command: 'mlenv admission mode', readOnly: false }, (core) => core.call('admission.setPolicy', { patch }));
      return void process.stdout.write(values.check ? `${values.check}: ${p.checks[values.check as keyof typeof p.checks] ?? `${p.mode} (the policy mode)`}\n` : `${p.mode}\n`);
    }
    case 'policy': {
      const { values, positionals } = parse(rest, { json: { type: 'boolean' }, ...DATA_DIR_OPTION });
      if (positionals.length) throw admissionUsage(`unexpected ${positionals.join(' ')}`);
      const p = await withCore(values['data-dir'], { command: 'mlenv admission policy', readOnly: true }, (core) => core.call('admission.policy', {}));
      return void (values.json ? printJson(p) : process.stdout.write(formatPolicy(p)));
    }
    case 'set': {
      const { values, positionals } = parse(rest, { ...DATA_DIR_OPTION });
      const patch = policyPatchFrom(positionals);
      const p = await withCore(values['data-dir'], { command: 'mlenv admission set', readOnly: false }, (core) => core.call('admission.setPolicy', { patch }));
      return void process.stdout.write(formatPolicy(p));
    }
    case 'decisions': {
      const { values, positionals } = parse(rest, { outcome: { type: 'string' }, project: { type: 'string' }, container: { type: 'string' }, limit: { type: 'string', default: '20' }, json: { type: 'boolean' }, ...DATA_DIR_OPTION });
      if (positionals.length) throw admissionUsage(`unexpected ${positionals.join(' ')}`);
      if (values.outcome && !(ADMISSION_OUTCOMES as readonly string[]).includes(values.outcome)) throw new UsageError(`--outcome ${values.outcome}: use ${ADMISSION_OUTCOMES.join(', ')}`);
      const limit = Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError(`--limit ${values.limit}: use 1 to 1000`);
      const list = await withCore(values['data-dir'], { command: 'mlenv admission decisions', readOnly: true }, (core) =>
        core.call('admission.decisions', {
          limit,
          ...(values.outcome ? { outcome: values.outcome as (typeof ADMISSION_OUTCOMES)[number] } : {}),
          ...(values.project ? { project: values.project } : {}),
          ...(values.container ? { container: values.container } : {}),
        }),
      );
      if (values.json) return void printJson(list);
      if (!list.length) return void process.stdout.write('No decisions recorded\n');
      return void process.stdout.write(
        table(
          ['ID', 'WHEN', 'OUTCOME', 'MODE', 'ACTOR', 'WHAT', 'SUMMARY'],
          list.map((d) => [String(d.id), new Date(d.at).toISOString(), d.outcome, d.mode, d.actor, `${d.request.action} ${d.request.container?.name ?? d.request.image ?? ''}`.trim(), d.summary]),
        ),
      );
    }
    case 'audit': {
      const { values, positionals } = parse(rest, { json: { type: 'boolean' }, ...DATA_DIR_OPTION });
      if (positionals.length) throw admissionUsage(`unexpected ${positionals.join(' ')}`);
      const a = await withCore(values['data-dir'], { command: 'mlenv admission audit', readOnly: true }, (core) => core.call('admission.audit', { refresh: true }));
      if (values.json) return void printJson(a);
      return void process.stdout.write(a.findings.length ? a.findings.map((f) => `${f.kind.toUpperCase()}  ${f.sentence}\n`).join('') : 'Nothing running breaks the policy\n');
    }
    default:
      throw admissionUsage(sub ? `unknown admission command "${sub}"` : undefined);
  }
}

/** "--memory none" clears a ceiling; anything else is passed on for the contract to read. */
const ceiling = (v: string | undefined): string | null | undefined => (v === undefined ? undefined : v === 'none' ? null : v);
const count = (flag: string, v: string | undefined): number | null | undefined => {
  const c = ceiling(v);
  if (c === undefined || c === null) return c;
  if (!/^\d+$/.test(c)) throw new UsageError(`--${flag} ${c}: use a whole number, or none for no limit`);
  return Number(c);
};

function formatQuota(q: ProjectQuotaView): string[] {
  const of = (used: string, limit: string | null) => (limit === null ? `${used} (no limit)` : `${used} of ${limit}`);
  return [
    q.project,
    of(String(q.usage.containers), q.containers === null ? null : String(q.containers)),
    of(formatBytes(q.usage.memoryBytes), q.memoryBytes === null ? null : formatBytes(q.memoryBytes)),
    of(String(q.usage.cpus), q.cpus === null ? null : String(q.cpus)),
    of(String(q.usage.gpus), q.gpus === null ? null : String(q.gpus)),
    q.over.length ? `over: ${q.over.join(', ')}` : 'within',
  ];
}
const QUOTA_HEAD = ['PROJECT', 'CONTAINERS', 'MEMORY', 'CPUS', 'GPUS', 'STATE'];

export async function quota(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'set': {
      const { values, positionals } = parse(rest, { containers: { type: 'string' }, memory: { type: 'string' }, cpus: { type: 'string' }, gpus: { type: 'string' }, json: { type: 'boolean' }, ...DATA_DIR_OPTION });
      if (positionals.length !== 1) throw quotaUsage('name one project');
      const input: RequestInput<'admission.setQuota'> = { project: positionals[0]! };
      const containers = count('containers', values.containers);
      const gpus = count('gpus', values.gpus);
      if (containers !== undefined) input.containers = containers;
      if (gpus !== undefined) input.gpus = gpus;
      if (values.memory !== undefined) input.memory = ceiling(values.memory);
      if (values.cpus !== undefined) input.cpus = ceiling(values.cpus);
      if (Object.keys(input).length === 1) throw quotaUsage('say which ceiling');
      const q = await withCore(values['data-dir'], { command: 'mlenv quota set', readOnly: false }, (core) => core.call('admission.setQuota', input));
      if (values.json) return void printJson(q);
      process.stdout.write(table(QUOTA_HEAD, [formatQuota(q)]));
      if (q.over.length) process.stdout.write(`Project ${q.project} is over the new quota (${q.over.join(', ')}): nothing running is stopped; the audit reports it and new launches in it are refused under enforce\n`);
      return;
    }
    case 'show': {
      const { values, positionals } = parse(rest, { json: { type: 'boolean' }, ...DATA_DIR_OPTION });
      if (positionals.length > 1) throw quotaUsage();
      const all = await withCore(values['data-dir'], { command: 'mlenv quota show', readOnly: true }, (core) => core.call('admission.quotas', {}));
      const list = positionals[0] ? all.filter((q) => q.project === positionals[0]) : all;
      if (positionals[0] && !list.length) throw new Error(`project ${positionals[0]} has no quota`);
      if (values.json) return void printJson(positionals[0] ? list[0] : list);
      return void process.stdout.write(list.length ? table(QUOTA_HEAD, list.map(formatQuota)) : 'No project quotas\n');
    }
    case 'rm': {
      const { values, positionals } = parse(rest, { ...DATA_DIR_OPTION });
      if (positionals.length !== 1) throw quotaUsage('name one project');
      const r = await withCore(values['data-dir'], { command: 'mlenv quota rm', readOnly: false }, (core) => core.call('admission.removeQuota', { project: positionals[0]! }));
      if (!r.removed) throw new Error(`project ${positionals[0]} has no quota`);
      return void process.stdout.write(`${positionals[0]}\n`);
    }
    default:
      throw quotaUsage(sub ? `unknown quota command "${sub}"` : undefined);
  }
}
