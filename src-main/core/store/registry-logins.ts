// The registry logins repository: the `registry_logins` table, who we log in as per registry. The
// secret itself is never here: it lives in the SecretStore (OS keychain or secrets.json).
import type { RegistryLogin } from '@shared/contract';
import type { Db } from './db';

export function createRegistryLoginRepository(db: Db) {
  const all = db.prepare('SELECT registry, username, updated_at AS updatedAt FROM registry_logins ORDER BY registry');
  const one = db.prepare('SELECT registry, username, updated_at AS updatedAt FROM registry_logins WHERE registry = ?');
  const upsert = db.prepare(
    `INSERT INTO registry_logins (registry, username, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (registry) DO UPDATE SET username = excluded.username, updated_at = excluded.updated_at`,
  );
  const del = db.prepare('DELETE FROM registry_logins WHERE registry = ?');

  return {
    /** Every stored login, by registry host. */
    list: (): RegistryLogin[] => all.all() as RegistryLogin[],
    /** The login for a registry host (e.g. "nvcr.io"), or undefined. */
    get: (registry: string): RegistryLogin | undefined => one.get(registry) as RegistryLogin | undefined,
    /** Stores (or replaces) the user name for a registry; `updatedAt` ms since epoch. */
    save(login: RegistryLogin): void {
      upsert.run(login.registry, login.username, login.updatedAt);
    },
    /** Forgets a registry's login; true when there was one. */
    remove: (registry: string): boolean => del.run(registry).changes > 0,
  };
}
export type RegistryLoginRepository = ReturnType<typeof createRegistryLoginRepository>;
