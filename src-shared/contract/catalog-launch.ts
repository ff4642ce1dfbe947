// One-click launch from the catalog: a catalog entry + this host → a launch through
// containers.launch's gate (catalog.plan, catalog.launch, the recent launches, remembered overrides).
import { z } from 'zod';
import { repositorySchema, tagSchema } from './catalog';
import { launchSchema, type ContainerDetail, type LaunchInput, type LaunchSpec } from './containers';
import { event, request } from './define';
import { engineId } from './refs';
import { projectDirSchema } from './settings';

const fields = launchSchema.shape;
/** A field as the launch form sends it (before launchSchema's parsers turn "32g" into bytes), bounded as launchSchema bounds it. */
const sent = (max: number) => z.string().max(max);

/**
 * What Customise… (or `mlenv launch --gpus/--memory/--cpus`) changes in a one-click launch: each field
 * replaces the default's whole value (volumes replace the project mount, ports the Jupyter port),
 * except labels, which are added to io.mlenv.catalog. The image, engine and whether to start are the
 * launch's own. Fields are kept as sent (the form's strings: "all", "32g", "8888:8888"), so
 * they can be shown in the form again and remembered; each is checked by launchSchema's own rule.
 */
export const launchOverridesSchema = z
  .object({
    /** This launch's container name (never remembered: the next launch takes the next free one). */
    name: fields.name,
    project: sent(64).optional(),
    cpus: sent(1024).optional(),
    cpuset: fields.cpuset,
    memory: sent(1024).optional(),
    shmSize: sent(1024).optional(),
    gpus: sent(1024).optional(),
    ipc: fields.ipc,
    ulimits: z.array(sent(1024)).max(32).optional(),
    runtime: fields.runtime,
    ports: z.array(sent(1024)).max(64).optional(),
    env: z.array(sent(32_768)).max(512).optional(),
    volumes: z.array(sent(1024)).max(64).optional(),
    command: fields.command,
    entrypoint: fields.entrypoint,
    restart: fields.restart,
    labels: fields.labels,
    interactive: fields.interactive,
    init: fields.init,
    probe: fields.probe,
    pull: z.enum(['missing', 'always', 'never']).optional(),
    exposePorts: z.boolean().optional(),
    allowDangerousMounts: z.boolean().optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    for (const [key, value] of Object.entries(o)) {
      if (value === undefined) continue;
      const r = (fields[key as keyof typeof fields] as z.ZodType).safeParse(value);
      if (!r.success) for (const i of r.error.issues) ctx.addIssue({ code: 'custom', message: i.message, path: [key, ...i.path] });
    }
  });
export type LaunchOverrides = z.output<typeof launchOverridesSchema>;

/** What a one-click launch will do, before it does it (catalog.plan), and what catalog.launch then runs. */
export interface LaunchPlan {
  repository: string;
  /** The tag chosen: the one asked for, else the newest built for this host's architecture (never `latest` for framework images). */
  tag: string;
  /** The reference pulled and run: the entry's pullName (after the registry mirror setting) and the tag. */
  image: string;
  /** The engine it runs on (its id). */
  engine: string;
  /** The launch as the launch form shows it (its strings): Customise… opens the form with it. */
  input: LaunchInput;
  /** The same launch validated, as containers.launch receives it. */
  spec: LaunchSpec;
  /**
   * The `docker run -d …` line that asks the engine for the same container (secret env values as
   * `-e NAME`, taken from the calling shell's environment); for a POSIX shell.
   */
  dockerRun: string;
  /** Each choice that is not obvious, one sentence each ("No NVIDIA GPU on this host: launched without GPUs."). */
  notes: string[];
  /** The image is on the engine already: launching pulls nothing. */
  pulled: boolean;
  /**
   * Compressed bytes the pull downloads (the catalog's size of the tag for the engine's architecture;
   * may be an estimate, see CatalogVersion.sizeEstimated); null when pulled or when the size is unknown.
   */
  pullBytes: number | null;
  /** The overrides applied: the request's, else those remembered for the repository; null when none. */
  overrides: LaunchOverrides | null;
  /** The overrides are the ones remembered for this repository (the last Customise… launch). */
  remembered: boolean;
}

/** One image launched from the catalog, newest first in catalog.recent (the tray's relaunch menu). */
export interface RecentLaunch {
  repository: string;
  /** The tag it was launched with (a relaunch asks for it again). */
  tag: string;
  displayName: string;
  engine: string;
  containerId: string;
  containerName: string;
  /** ms since epoch. */
  launchedAt: number;
}

/** At most this many recent launches are listed (the tray menu's). */
export const RECENT_LAUNCHES = 5;

const launchTarget = {
  repository: repositorySchema,
  /** Omitted: the newest tag built for the engine's architecture. */
  tag: tagSchema.optional(),
  engine: engineId.optional(),
  /** Replaces the remembered overrides for this launch. */
  overrides: launchOverridesSchema.optional(),
  /** This launch's project folder: an absolute path, or null for none; omitted: Settings → Launch's folder. */
  projectDir: projectDirSchema.nullable().optional(),
};

export const catalogLaunchRequests = {
  /** What catalog.launch would do now: tag, spec, docker run line and notes. Refuses a tag unknown to the catalog or not built for this host. */
  'catalog.plan': request(z.object(launchTarget).strict()).returns<LaunchPlan>(),
  /**
   * Plans as catalog.plan, then launches through the lifecycle gate (actor one-click from the app, cli
   * from `mlenv launch`), pulling with progress when the image is missing; records it among the recent
   * launches. `remember`: keep these overrides for the repository's next launches (Customise…).
   */
  'catalog.launch': request(z.object({ ...launchTarget, remember: z.boolean().default(false) }).strict()).returns<ContainerDetail>(),
  /** The images launched from the catalog most recently, newest first, at most RECENT_LAUNCHES. */
  'catalog.recent': request(z.object({}).strict()).returns<RecentLaunch[]>(),
  /** Forgets the overrides remembered for a repository. */
  'catalog.forgetLaunchOverrides': request(z.object({ repository: repositorySchema }).strict()).returns<{ removed: boolean }>(),
};

export const catalogLaunchEvents = {
  /** A launch from the catalog was recorded: the recent launches changed (the tray rebuilds its menu). */
  'catalog.recent': event<RecentLaunch[]>(),
};
