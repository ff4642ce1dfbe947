// JavaScript functions the migrations call from SQL, so a rule the app keeps in one place (which env
// names are secret) is not written a second time in SQL.
import { envEntryForMessage, isSecretEnvName, MASKED_VALUE } from '@shared/secret-env';
import type { Db } from '../db';
import { detailsWithEngineName } from '../events';

/**
 * A stored launch spec (JSON) with each env value whose name looks secret replaced by MASKED_VALUE;
 * anything that is not such JSON comes back unchanged.
 */
export function maskLaunchSpecJson(spec: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(spec);
  } catch {
    return spec;
  }
  const env = (parsed as { env?: unknown } | null)?.env;
  if (!Array.isArray(env)) return spec;
  const masked = env.map((e: unknown) => {
    const key = (e as { key?: unknown } | null)?.key;
    return typeof key === 'string' && isSecretEnvName(key) ? { ...(e as object), value: MASKED_VALUE } : e;
  });
  return JSON.stringify({ ...(parsed as object), env: masked });
}

/**
 * An error message written before env entries were masked in messages: each
 * `env.N: "NAME=value" is not an environment variable` (the router's issue path, then parseEnv's old
 * words) shows the entry as parseEnv now does (envEntryForMessage: "NAME=…").
 */
export function maskEnvMessage(message: string): string {
  return message.replace(
    /(env\.\d+: )"([^]*?)" is not an environment variable/g,
    (_all, prefix: string, entry: string) => `${prefix}${envEntryForMessage(entry)} is not an environment variable`,
  );
}

/** Stored event details (JSON or NULL) with the engine's name added as the events repository adds it (detailsWithEngineName). */
export function detailsJsonWithEngineName(details: string | null, engineName: string | null): string | null {
  if (!engineName) return details;
  let parsed: unknown = null;
  if (details !== null) {
    try {
      parsed = JSON.parse(details);
    } catch {
      return details; // not JSON: kept as it is
    }
  }
  const out = detailsWithEngineName(parsed, engineName);
  return out === null || out === undefined ? null : JSON.stringify(out);
}

/** Makes the functions above callable from migration SQL on this connection. */
export function registerMigrationFunctions(db: Db): void {
  db.function('mlenv_mask_launch_spec', { deterministic: true }, (s: unknown) => (typeof s === 'string' ? maskLaunchSpecJson(s) : s) as string);
  db.function('mlenv_details_with_engine_name', { deterministic: true }, (d: unknown, name: unknown) =>
    detailsJsonWithEngineName(typeof d === 'string' ? d : null, typeof name === 'string' ? name : null),
  );
  db.function('mlenv_mask_env_message', { deterministic: true }, (s: unknown) => (typeof s === 'string' ? maskEnvMessage(s) : s) as string);
}
