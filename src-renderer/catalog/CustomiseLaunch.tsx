import { useMemo, useState } from 'react';
import type { LaunchInput, LaunchPlan } from '@shared/contract';
import { api } from '../api';
import { LaunchForm, type LaunchPreset } from '../docker/LaunchForm';
import { formFromInput } from '../docker/launch-form';
import { errorText } from '../docker/format';
import { overridesFrom } from './customise';

/**
 * Customise…: the existing launch form, filled in with the plan's launch; what the user changes goes
 * to catalog.launch as overrides and is remembered for this image's next launches.
 */
export function CustomiseLaunch({ plan, onForgotten }: { plan: LaunchPlan; onForgotten: () => void }) {
  const [forgetError, setForgetError] = useState<string>();
  const preset = useMemo((): LaunchPreset => {
    return {
      title: `Customise ${plan.repository}:${plan.tag}`,
      initial: formFromInput(plan.input),
      locked: ['image', 'name'],
      pull: { imagePresent: plan.pulled, pullBytes: plan.pullBytes },
      launch: async (input: LaunchInput) => {
        const { overrides, uncleared } = overridesFrom(plan.input, input);
        if (uncleared.length) throw new Error(`${uncleared.join(', ')}: a catalog launch cannot leave ${uncleared.length === 1 ? 'this' : 'these'} empty (the image's default would come back): enter a value.`);
        return api.call('catalog.launch', { repository: plan.repository, tag: plan.tag, overrides, remember: true });
      },
    };
  }, [plan]);
  const forget = () =>
    api.call('catalog.forgetLaunchOverrides', { repository: plan.repository }).then(
      () => onForgotten(),
      (e) => setForgetError(errorText(e)),
    );
  return (
    <div data-testid="customise-launch">
      {plan.remembered && (
        <p className="muted">
          Filled in with your choices from the last Customise… of this image.{' '}
          <button type="button" onClick={() => void forget()}>
            Forget them
          </button>
          {forgetError && <span className="inline-error"> {forgetError}</span>}
        </p>
      )}
      {/* A new plan (another tag, forgotten choices) is a new form. */}
      <LaunchForm key={`${plan.tag}/${plan.remembered}`} preset={preset} onLaunched={(id) => (location.hash = `#/containers/${encodeURIComponent(id)}`)} />
    </div>
  );
}
