// The io.mlenv.* container labels MLEnv writes at create, and where a published port binds by default:
// one definition for the create options (src-main/core/docker/create-options.ts) and the `docker run`
// line shown before a launch (docker-run-line.ts), which must say exactly what the launch sends.

/** "true" on every container MLEnv created: full control; any other container is shown read-only. */
export const LABEL_MANAGED = 'io.mlenv.managed';
/** The launch's project (LaunchSpec.project). */
export const LABEL_PROJECT = 'io.mlenv.project';
/** The responsiveness probe, as probeLabel writes it. */
export const LABEL_PROBE = 'io.mlenv.probe';
/** The catalog repository a one-click launch started (nvidia/pytorch). */
export const LABEL_CATALOG = 'io.mlenv.catalog';
/** Where a published port binds unless the launch says exposePorts or writes an address. */
export const LOOPBACK = '127.0.0.1';

/** "http:80/path" or "tcp:5432", stored as a label so the probe survives an app restart. */
export const probeLabel = (p: { kind: 'tcp' | 'http'; port: number; path?: string }): string => `${p.kind}:${p.port}${p.kind === 'http' ? (p.path ?? '/') : ''}`;
