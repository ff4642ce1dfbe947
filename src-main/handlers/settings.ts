// settings.* → the settings store; an update goes through the core's applySettings (core/app.ts), which tells the services.
import type { Settings, SettingsPatch } from '@shared/contract';
import type { settingsRequests } from '@shared/contract/settings';
import type { DomainHandlers } from './domain';

export function settingsHandlers(s: { settings: { get(): Settings }; applySettings(patch: SettingsPatch): Settings }): DomainHandlers<typeof settingsRequests> {
  return {
    'settings.get': () => s.settings.get(),
    'settings.update': ({ patch }) => s.applySettings(patch),
  };
}
