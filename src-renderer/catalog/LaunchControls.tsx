import { imageHref } from './format';
import { PullBar } from './PullBar';
import { useOneClickLaunch } from './useOneClickLaunch';

/**
 * Launch (the plan's defaults, or `tag`) and Customise… (the launch form, filled in) for one image;
 * the pull's progress and any refusal in words below them. `disabledReason`: why Launch cannot run
 * this build here (shown, and the button off). `customise`: offer Customise… (default true).
 */
export function LaunchControls(props: { repository: string; pullName: string; tag?: string; disabledReason?: string; customise?: boolean }) {
  const { repository, pullName, tag, disabledReason, customise = true } = props;
  const { launching, error, pull, launch } = useOneClickLaunch(repository, pullName);
  return (
    <div className="launch-controls">
      <div className="toolbar">
        <button type="button" className="primary" disabled={launching || !!disabledReason} title={disabledReason} onClick={() => void launch(tag ? { tag } : {})} data-testid="catalog-launch">
          {launching ? (pull ? 'Pulling…' : 'Launching…') : 'Launch'}
        </button>
        {customise && (
          <a href={imageHref(repository, true)} data-testid="catalog-customise">
            Customise…
          </a>
        )}
      </div>
      {disabledReason && (
        <small className="muted" data-testid="launch-disabled-reason">
          {disabledReason}
        </small>
      )}
      {launching && pull && <PullBar pull={pull} />}
      {error && (
        <p className="inline-error" role="alert" data-testid="catalog-launch-error">
          {error}
        </p>
      )}
    </div>
  );
}
