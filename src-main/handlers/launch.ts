// catalog.plan / catalog.launch / catalog.recent / catalog.forgetLaunchOverrides → the one-click launcher
// (core/catalog/launch.ts). A launch from the app acts as 'one-click'; one over the control socket
// (`mlenv launch`) keeps the CLI's own actor, so the journal says who asked.
import type { catalogLaunchRequests } from '@shared/contract/catalog-launch';
import type { CatalogLauncher } from '../core/catalog/launch';
import type { DomainHandlers } from './domain';

export function launchHandlers(s: { launcher: CatalogLauncher }): DomainHandlers<typeof catalogLaunchRequests> {
  const { launcher } = s;
  return {
    'catalog.plan': (target) => launcher.plan(target),
    'catalog.launch': ({ remember, ...target }, ctx) => launcher.launch(target, ctx.actor === 'cli' ? 'cli' : 'one-click', remember),
    'catalog.recent': () => launcher.recent(),
    'catalog.forgetLaunchOverrides': ({ repository }) => launcher.forget(repository),
  };
}
