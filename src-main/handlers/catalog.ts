// catalog.* → the catalog service (core/catalog/service.ts); changes journal who asked (CallContext.actor).
import type { catalogRequests } from '@shared/contract/catalog';
import type { CatalogService } from '../core/catalog/service';
import type { DomainHandlers } from './domain';

type CatalogRequestName = 'catalog.search' | 'catalog.get' | 'catalog.tags' | 'catalog.refresh' | 'catalog.status' | 'catalog.categories' | 'catalog.add' | 'catalog.remove' | 'catalog.export' | 'catalog.import' | 'catalog.setApiKey' | 'catalog.clearApiKey';

export function catalogHandlers(s: { catalog: CatalogService }): DomainHandlers<Pick<typeof catalogRequests, CatalogRequestName>> {
  const { catalog } = s;
  return {
    'catalog.search': (q) => catalog.search(q),
    'catalog.get': ({ repository, live }) => catalog.get(repository, live),
    'catalog.tags': ({ repository, live }) => catalog.tags(repository, live),
    'catalog.refresh': ({ ifStale }, ctx) => catalog.refresh({ ifStale, actor: ctx.actor }),
    'catalog.status': () => catalog.status(),
    'catalog.categories': () => catalog.categories(),
    'catalog.add': (input, ctx) => catalog.add(input, ctx.actor),
    'catalog.remove': ({ repository }, ctx) => catalog.remove(repository, ctx.actor),
    'catalog.export': () => catalog.exportDocument(),
    'catalog.import': ({ json, mode }, ctx) => catalog.importDocument(json, mode, ctx.actor),
    'catalog.setApiKey': ({ key }, ctx) => catalog.setApiKey(key, ctx.actor),
    'catalog.clearApiKey': (_input, ctx) => catalog.clearApiKey(ctx.actor),
  };
}
