// Admission control: every launch, start, unpause and restart is decided against the machine's live
// figures, the reservations of launches under way, project quotas and the policy (issue #10). The
// core decides (src-main/core/admission); this file is what callers send and get back.
import { z } from 'zod';
import { parseGpus } from '../gpus';
import { parseBytes, parseCpus } from '../units';
import { event, request } from './define';
import { ACTORS, type Actor } from './journal';
import { via } from './parse';
import { containerRef, engineId, imageRef } from './refs';

/**
 * enforce: a failed check refuses (ADMISSION_REJECTED carrying the decision). dry_run: the decision is
 * reported and recorded, nothing is refused and nothing reserved. audit: admitted and reserved, each
 * failed check recorded as a violation.
 */
export const ADMISSION_MODES = ['enforce', 'dry_run', 'audit'] as const;
export type AdmissionMode = (typeof ADMISSION_MODES)[number];

/** Every check decide() runs, in the order a decision lists those that pass. */
export const ADMISSION_CHECK_IDS = [
  /** Host memory in use (+ reserved) + requested, % of total ≤ memoryMaxPercent. */
  'memory_percent',
  /** Host memory available after the launch ≥ memoryMinFreeBytes. */
  'memory_free',
  /** Host CPU busy, averaged over cpuWindowSeconds, ≤ cpuMaxPercent. */
  'cpu_percent',
  /** The CPUs asked for (--cpus) are no more than the machine has. */
  'cpu_count',
  /** 1-minute load average ≤ loadMaxPerCore × cores. */
  'load',
  /** The GPUs asked for exist (a count no larger than the GPUs there are; device ids that name one). */
  'gpu_exists',
  /** The GPUs asked for are not held by another running managed container or a launch under way. */
  'gpu_free',
  /** Each chosen GPU has more free memory than gpuMemoryMarginMiB. */
  'gpu_memory',
  /** Free space on Docker's data root after the pull ≥ diskMarginBytes. */
  'disk_free',
  /** The project's containers (running or being launched) within its quota. */
  'quota_containers',
  /** The project's memory limits (a container without one at defaultMemoryBytes) within its quota. */
  'quota_memory',
  /** The project's CPU limits within its quota. */
  'quota_cpus',
  /** The project's GPUs within its quota. */
  'quota_gpus',
] as const;
export type AdmissionCheckId = (typeof ADMISSION_CHECK_IDS)[number];

/** What a check's observed, limit and after are counted in (bytes are bytes, percent 0–100). */
export type AdmissionUnit = 'percent' | 'bytes' | 'cpus' | 'load' | 'gpus' | 'containers';

/** One check of one decision. */
export interface AdmissionCheck {
  id: AdmissionCheckId;
  /** Short, for a list: "Memory after launch". */
  label: string;
  /** Now, before the launch (reservations of launches under way included); null when unknown. */
  observed: number | null;
  /** The policy's limit (a maximum, or a minimum for memory_free, disk_free and gpu_memory); null when none applies. */
  limit: number | null;
  /** What the figure would be once the request runs; null when unknown. */
  after: number | null;
  unit: AdmissionUnit;
  /** unknown: the figure is missing (sampler not warm, nvidia-smi gone); the policy's `unknown` says whether that refuses. */
  status: 'pass' | 'fail' | 'unknown';
  /** The mode this check ran under (the policy's, or this check's own override). */
  mode: AdmissionMode;
  /** One sentence with the numbers: "Memory would reach 91 % (limit 85 %): 14.2 GiB in use + 8 GiB requested of 24 GiB". */
  sentence: string;
  /** The request can never pass this check on this machine, whatever stops (4 GPUs on a 2-GPU host). */
  canNeverFit?: boolean;
  /** What to stop or lower: "stop `train-3` (6 GiB) or lower the memory to 5 GiB". */
  remedy?: string;
}

/** admitted, rejected, or admitted although a check failed (audit or dry_run: a violation recorded). */
export type AdmissionOutcome = 'admitted' | 'rejected' | 'violation';
export const ADMISSION_OUTCOMES = ['admitted', 'rejected', 'violation'] as const satisfies readonly AdmissionOutcome[];

/** What was asked, as decide() counted it. */
export interface AdmissionRequestSummary {
  action: 'launch' | 'start' | 'unpause' | 'restart' | 'check';
  engine: string;
  project: string;
  image: string | null;
  /** The container acted on (start, unpause, restart), or the one a launch created once bound. */
  container: { id: string; name: string } | null;
  /** The memory limit asked for; null when the launch sets none. */
  memoryBytes: number | null;
  /** What the memory checks counted: the limit, or the policy's defaultMemoryBytes when there is none. */
  memoryCountedBytes: number;
  cpus: number | null;
  /** GPUs asked for: a count (-1 = all), or device ids; null when none. */
  gpus: { count: number; deviceIds: string[] | null } | null;
  /**
   * Compressed bytes the pull downloads (the registry's size: config + layers); null when no pull is
   * needed or its size is not known. The disk check counts their extraction on top (an estimate).
   */
  pullBytes: number | null;
}

/** The figures a decision was made on (a summary: enough to read the checks again later). */
export interface AdmissionFacts {
  /** The snapshot's time; null when the sampler had none yet. */
  snapshotTs: number | null;
  memory: { totalBytes: number; usedBytes: number; reservedBytes: number } | null;
  cpuPercent: number | null;
  cores: number | null;
  load1: number | null;
  /** Free bytes on the filesystem of Docker's data root; null when unknown. */
  diskFreeBytes: number | null;
  diskMount: string | null;
  gpus: { index: number; uuid: string; memoryFreeMiB: number | null; memoryTotalMiB: number | null; heldBy: string[] }[] | null;
  /** Launches under way on this engine holding a reservation. */
  reservations: number;
  projectUsage: ProjectUsage;
}

export interface AdmissionDecision {
  /** The admission_decisions row; absent for a preview (admission.check records nothing). */
  id?: number;
  admitted: boolean;
  outcome: AdmissionOutcome;
  /** The policy's mode when decided. */
  mode: AdmissionMode;
  /** Failed first (can never fit before would fit once something stops), then unknown, then passed. */
  checks: AdmissionCheck[];
  /** One sentence for the whole decision: "Admitted: every check passed" / "Refused: memory would reach 91 % …". */
  summary: string;
  /** What enforce would have done (differs from admitted in dry_run and audit). */
  wouldReject: boolean;
  request: AdmissionRequestSummary;
  facts: AdmissionFacts;
  actor: Actor;
  /** ms since epoch. */
  at: number;
  /** The reservation's state for a recorded decision: held (launch under way), committed, released, expired; none when nothing was reserved. */
  reservation?: 'held' | 'committed' | 'released' | 'expired' | 'none';
}

/** The ADMISSION_REJECTED error's details. */
export interface AdmissionRejectedDetails {
  decision: AdmissionDecision;
}

const percent = z.number().min(0).max(100);
const bytesField = z.number().int().min(0).max(2 ** 50);

/** The policy's figures; each check reads its own. */
export const admissionThresholdsSchema = z
  .object({
    memoryMaxPercent: percent,
    memoryMinFreeBytes: bytesField,
    cpuMaxPercent: percent,
    /** CPU is averaged over this many seconds of samples, so one spike does not refuse. */
    cpuWindowSeconds: z.number().int().min(1).max(600),
    loadMaxPerCore: z.number().min(0).max(1000),
    gpuMemoryMarginMiB: z.number().int().min(0).max(1024 * 1024),
    diskMarginBytes: bytesField,
    /** What a launch without a memory limit is counted at (never zero). */
    defaultMemoryBytes: z.number().int().min(1).max(2 ** 50),
    /** A reservation not settled within this long (its launch hung or its process died) expires. */
    reservationTtlSeconds: z.number().int().min(30).max(86_400),
  })
  .strict();
export type AdmissionThresholds = z.infer<typeof admissionThresholdsSchema>;

export const admissionPolicySchema = z
  .object({
    mode: z.enum(ADMISSION_MODES),
    /** Per-check overrides of the mode; a check not named runs under `mode`. */
    checks: z.partialRecord(z.enum(ADMISSION_CHECK_IDS), z.enum(ADMISSION_MODES)),
    /** A check whose figures are missing: refuse (under enforce), or pass with a warning. */
    unknown: z.enum(['refuse', 'warn']),
    thresholds: admissionThresholdsSchema,
  })
  .strict();
export type AdmissionPolicySettings = z.infer<typeof admissionPolicySchema>;

export interface AdmissionPolicy extends AdmissionPolicySettings {
  /** When and by whom it was last changed; null while the defaults stand. */
  updatedAt: number | null;
  updatedBy: Actor | null;
}

const GiB = 1024 ** 3;
export const DEFAULT_ADMISSION_POLICY: AdmissionPolicySettings = {
  mode: 'enforce',
  checks: {},
  unknown: 'refuse',
  thresholds: {
    memoryMaxPercent: 85,
    memoryMinFreeBytes: 4 * GiB,
    cpuMaxPercent: 90,
    cpuWindowSeconds: 10,
    loadMaxPerCore: 2,
    gpuMemoryMarginMiB: 1024,
    diskMarginBytes: 5 * GiB,
    defaultMemoryBytes: 2 * GiB,
    reservationTtlSeconds: 1800,
  },
};

export const admissionPolicyPatchSchema = z
  .object({
    mode: admissionPolicySchema.shape.mode.optional(),
    /** Each named check's mode; null drops its override. */
    checks: z.partialRecord(z.enum(ADMISSION_CHECK_IDS), z.enum(ADMISSION_MODES).nullable()).optional(),
    unknown: admissionPolicySchema.shape.unknown.optional(),
    thresholds: admissionThresholdsSchema.partial().strict().optional(),
  })
  .strict();
export type AdmissionPolicyPatch = z.infer<typeof admissionPolicyPatchSchema>;

/** A project's name, as launchSchema reads it. */
export const projectName = z
  .string()
  .max(64)
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$/, 'a project is 1–64 letters, digits, _ . or -');

/** What a project holds now: running managed containers and launches under way. */
export interface ProjectUsage {
  containers: number;
  /** Memory limits summed; a container without one counted at defaultMemoryBytes. */
  memoryBytes: number;
  cpus: number;
  /** GPUs held (a count for "all" is every GPU there is). */
  gpus: number;
}

/** A project's ceilings; null = no limit. */
export interface ProjectQuota {
  project: string;
  containers: number | null;
  memoryBytes: number | null;
  cpus: number | null;
  gpus: number | null;
  updatedAt: number;
  updatedBy: Actor;
}

/** A quota with what the project holds now, and which ceilings it is over (a quota lowered below usage is accepted, then flagged). */
export interface ProjectQuotaView extends ProjectQuota {
  usage: ProjectUsage;
  over: ('containers' | 'memory' | 'cpus' | 'gpus')[];
}

/** One finding of the audit pass over running managed containers (reported, never acted on). */
export interface AuditFinding {
  /** quota: a project over its quota. unadmitted: a container running without a decision (Docker's restart policy brought it back). gpu_shared: a GPU held by two running containers. */
  kind: 'quota' | 'unadmitted' | 'gpu_shared';
  project: string | null;
  containers: { id: string; name: string }[];
  sentence: string;
}

export interface AdmissionAudit {
  /** ms since epoch; null before the first pass. */
  at: number | null;
  findings: AuditFinding[];
}

/** Resources asked for, as the launch form writes them (the same parsers as containers.launch). */
const resources = {
  memory: via(parseBytes).optional(),
  cpus: via(parseCpus).optional(),
  gpus: via(parseGpus).optional(),
  image: imageRef.optional(),
  /** Compressed bytes the image's pull downloads (a catalog entry's size); omit when the image is present or its size unknown. */
  pullBytes: z.number().int().min(0).max(2 ** 50).optional(),
  /** The image is on the engine (true: nothing to pull) or not (false); omit when not known. */
  imagePresent: z.boolean().optional(),
};

export const admissionCheckSchema = z
  .object({
    engine: engineId.optional(),
    project: projectName.default('default'),
    ...resources,
    /** Preview starting (or unpausing) this existing container instead of a launch; the resource fields then must be absent. */
    container: containerRef.optional(),
  })
  .strict()
  .refine((c) => !c.container || (c.memory === undefined && c.cpus === undefined && c.gpus === undefined && c.image === undefined && c.pullBytes === undefined && c.imagePresent === undefined), {
    message: 'give either a container to start or the resources of a launch, not both',
  });

export const admissionDecisionsQuerySchema = z
  .object({
    outcome: z.enum(ADMISSION_OUTCOMES).optional(),
    project: projectName.optional(),
    actor: z.enum(ACTORS).optional(),
    /** A container's id (prefix, 4+ hex digits) or name: the decisions about it. */
    container: containerRef.optional(),
    /** ms since epoch */
    since: z.number().int().min(0).optional(),
    until: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(1000).default(100),
  })
  .strict();
export type AdmissionDecisionsQuery = z.infer<typeof admissionDecisionsQuerySchema>;

const quotaCount = (max: number) => z.number().int().min(0).max(max).nullable().optional();
export const setQuotaSchema = z
  .object({
    project: projectName,
    /** Omitted: unchanged; null: no limit. */
    containers: quotaCount(100_000),
    memory: via(parseBytes).nullable().optional(),
    cpus: via(parseCpus).nullable().optional(),
    gpus: quotaCount(1024),
  })
  .strict();
export type SetQuotaInput = z.infer<typeof setQuotaSchema>;

export const admissionRequests = {
  /** What a launch (or the start of `container`) would get now: every check with its numbers. Reserves nothing, records nothing: cheap enough for each keystroke. */
  'admission.check': request(admissionCheckSchema).returns<AdmissionDecision>(),
  /** Recorded decisions, newest first. */
  'admission.decisions': request(admissionDecisionsQuerySchema).returns<AdmissionDecision[]>(),
  'admission.policy': request(z.object({}).strict()).returns<AdmissionPolicy>(),
  /** Changes the policy; a change of any mode is journaled (`admission.mode`) with who made it. */
  'admission.setPolicy': request(z.object({ patch: admissionPolicyPatchSchema }).strict()).returns<AdmissionPolicy>(),
  'admission.quotas': request(z.object({}).strict()).returns<ProjectQuotaView[]>(),
  /** Sets a project's quota (a quota below current usage is accepted and flagged by the audit). */
  'admission.setQuota': request(setQuotaSchema).returns<ProjectQuotaView>(),
  'admission.removeQuota': request(z.object({ project: projectName }).strict()).returns<{ removed: boolean }>(),
  /** The latest audit pass's findings; `refresh` runs a pass first. */
  'admission.audit': request(z.object({ refresh: z.boolean().default(false) }).strict()).returns<AdmissionAudit>(),
};

export const admissionEvents = {
  /** Every recorded decision (previews are not). */
  'admission.decided': event<AdmissionDecision>(),
  /** Each audit pass whose findings changed. */
  'admission.audit': event<AdmissionAudit>(),
  /** The policy after a change (the header shows its mode). */
  'admission.policy': event<AdmissionPolicy>(),
};
