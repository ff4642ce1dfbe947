// A model as the library keeps it → the launch spec the lifecycle gate runs, and the spec at rest:
// secret-looking env values (isSecretEnvName) go to the secret store, never to the database.
import type { LaunchSpec, ModelSpec } from '@shared/contract';
import { launchSchema } from '@shared/contract';
import { AppError } from '@shared/errors';
import { isSecretEnvName, MASKED_VALUE } from '@shared/secret-env';
import type { SecretStore } from '../docker/secrets';
import { LABEL_MODEL, containerNameFor } from './names';

/** The image Docker pulls for a catalog entry (its pullName), or undefined for an unknown repository. */
export type CatalogResolver = (repository: string) => Promise<{ pullName: string } | undefined>;

/**
 * `spec` with its launch spec filled in from the catalog when it names a catalog entry instead
 * (the entry's pullName and the tag, default options): stored so, the model runs without the catalog
 * later. NOT_FOUND for a repository the catalog does not know.
 */
export async function resolveSource(spec: ModelSpec, catalog?: CatalogResolver): Promise<ModelSpec> {
  if (spec.launch) return spec;
  const src = spec.catalog!;
  const entry = await catalog?.(src.repository);
  if (!entry) throw new AppError('NOT_FOUND', `no catalog entry ${src.repository}: add it to the catalog, or give the model a launch spec with its image`);
  return { ...spec, launch: launchSchema.parse({ image: `${entry.pullName}:${src.tag}` }) };
}

/**
 * The launch spec the gate runs for `spec` (resolveSource first): its own launch, named
 * containerNameFor(name), labelled io.mlenv.model=<name>, its port published on 127.0.0.1 at a port
 * the engine picks, probed by the model's readiness probe, started. Models run on the local engine
 * (the proxy forwards to 127.0.0.1 and moves are verified from this host's cgroups): another engine
 * is INVALID_INPUT.
 */
export function launchFor(spec: ModelSpec): LaunchSpec {
  const base = spec.launch;
  if (!base) throw new AppError('INVALID_INPUT', `model ${spec.name} has no launch spec (resolveSource fills it from the catalog)`);
  if (base.engine !== undefined && base.engine !== 'local') {
    throw new AppError('INVALID_INPUT', `model ${spec.name} must run on the local engine (the proxy forwards to 127.0.0.1 and moves are verified from this host's cgroups), not on engine ${base.engine}`);
  }
  const ports = (base.ports ?? []).filter((p) => !(p.containerPort === spec.port && p.protocol === 'tcp'));
  const { engine: _engine, ...rest } = base;
  return {
    ...rest,
    name: containerNameFor(spec.name),
    labels: { ...base.labels, [LABEL_MODEL]: spec.name, ...(spec.catalog ? { 'io.mlenv.catalog': spec.catalog.repository } : {}) },
    ports: [...ports, { containerPort: spec.port, protocol: 'tcp', hostPort: 0, hostIp: '127.0.0.1' }],
    probe: spec.probe.kind === 'http' ? { kind: 'http', port: spec.port, path: spec.probe.path } : { kind: 'tcp', port: spec.port },
    start: true,
  };
}

const secretKey = (model: string, env: string) => `model/${model}/env/${env}`;

/**
 * The spec as the database keeps it: each secret-looking env value replaced by MASKED_VALUE after
 * it was put in `secrets` (keyed by model and variable).
 */
export function specAtRest(spec: ModelSpec, secrets: SecretStore): ModelSpec {
  if (!spec.launch?.env?.length) return spec;
  const env = spec.launch.env.map((e) => {
    if (!isSecretEnvName(e.key) || e.value === MASKED_VALUE) return e;
    secrets.set(secretKey(spec.name, e.key), e.value);
    return { key: e.key, value: MASKED_VALUE };
  });
  return { ...spec, launch: { ...spec.launch, env } };
}

/** The spec as stored, with its secret values read back from `secrets`; a value the store no longer has stays masked and is named in `missing`. */
export function specFromRest(spec: ModelSpec, secrets: SecretStore): { spec: ModelSpec; missing: string[] } {
  if (!spec.launch?.env?.length) return { spec, missing: [] };
  const missing: string[] = [];
  const env = spec.launch.env.map((e) => {
    if (!isSecretEnvName(e.key) || e.value !== MASKED_VALUE) return e;
    const v = secrets.get(secretKey(spec.name, e.key));
    if (v === undefined) missing.push(e.key);
    return v === undefined ? e : { key: e.key, value: v };
  });
  return { spec: { ...spec, launch: { ...spec.launch, env } }, missing };
}

/** Forgets the secret values of model `spec`. */
export function forgetSecrets(spec: ModelSpec, secrets: SecretStore): void {
  for (const e of spec.launch?.env ?? []) if (isSecretEnvName(e.key)) secrets.delete(secretKey(spec.name, e.key));
}

/** The launch spec with secret env values masked (for the Model the contract shows). */
export function maskedLaunch(launch: LaunchSpec): LaunchSpec {
  return launch.env ? { ...launch, env: launch.env.map((e) => (isSecretEnvName(e.key) ? { key: e.key, value: MASKED_VALUE } : e)) } : launch;
}
