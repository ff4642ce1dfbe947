// The NGC API key, stored once for both of its uses (as NGC documents): the catalog's reads of gated
// repositories, and the registry login Docker pulls with (user $oauthtoken).
import { api } from '../api';

/** The user name NGC's registry takes with an API key as the password. */
export const NGC_REGISTRY_USER = '$oauthtoken';

/** Stores `key` for the catalog and as the login of `registry` (nvcr.io unless Settings say otherwise). Rejects with the core's sentence. */
export async function storeNgcApiKey(key: string, registry: string): Promise<void> {
  await api.call('catalog.setApiKey', { key });
  await api.call('registries.login', { registry, username: NGC_REGISTRY_USER, secret: key });
}
