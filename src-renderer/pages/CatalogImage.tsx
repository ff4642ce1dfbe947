import { useMemo, useState } from 'react';
import { AdmissionPreview } from '../admission/AdmissionPreview';
import { checkFromLaunch } from '../admission/request';
import { ImageHeader } from '../catalog/ImageHeader';
import { LaunchControls } from '../catalog/LaunchControls';
import { SafeMarkdown } from '../catalog/Markdown';
import { CustomiseLaunch } from '../catalog/CustomiseLaunch';
import { NgcSignIn } from '../catalog/NgcSignIn';
import { ProjectFolder } from '../catalog/ProjectFolder';
import { pulledTags } from '../catalog/pulled';
import { RunLine } from '../catalog/RunLine';
import { TagsTable } from '../catalog/TagsTable';
import { useCatalogImage, useLaunchPlan } from '../catalog/useCatalogImage';
import { useHostArchitecture } from '../catalog/useHostArchitecture';
import { useImagesStore } from '../store/images';

/** #/catalog/<repository>: the description, the tags, and what Launch will run (or the form, with /customise). */
export function CatalogImage({ repository, customise }: { repository: string; customise: boolean }) {
  const host = useHostArchitecture();
  const { image, tags, readingTags, error } = useCatalogImage(repository);
  const [selected, setSelected] = useState<string>();
  const pulled = pulledTags(useImagesStore((s) => s.images), image?.pullName ?? repository);
  // Planned again when the engine gains a tag or the registry's tags arrive (sizes, architectures).
  const { plan, error: planError, replan } = useLaunchPlan(repository, selected, `${[...pulled].join()}|${tags?.fetchedAt}`);
  // Admission's live preview of Launch: the plan's launch, with its pull (the image present, or its download size).
  const preview = useMemo(() => (plan ? checkFromLaunch(plan.input, new Set(), { imagePresent: plan.pulled, pullBytes: plan.pullBytes }) : undefined), [plan]);

  if (error && !image) {
    return (
      <div className="banner error inline" role="alert">
        {error} <a href="#/catalog">Back to the catalog</a>
      </div>
    );
  }
  if (!image) return <p className="muted">Loading {repository}…</p>;
  return (
    <div className="catalog-image" data-testid="catalog-image" data-repository={repository}>
      <p>
        <a href="#/catalog">← Catalog</a>
      </p>
      <section className="card">
        <ImageHeader image={image} />
        {image.gated && <NgcSignIn />}
        <ProjectFolder />
        {planError && (
          <p className="inline-error" role="alert" data-testid="plan-error">
            {planError}
          </p>
        )}
        {plan && (
          <>
            <RunLine plan={plan} />
            {!customise && <AdmissionPreview request={preview} />}
            {!customise && <LaunchControls repository={repository} pullName={image.pullName} tag={plan.tag} />}
          </>
        )}
      </section>
      {customise && plan && <CustomiseLaunch plan={plan} onForgotten={replan} />}
      <section className="card">
        <div className="toolbar">
          <h3>Tags</h3>
          <span className="muted" data-testid="tags-source">
            {readingTags ? 'reading tags from the registry…' : tags?.source === 'live' ? 'from the registry just now' : tags?.source === 'cache' ? 'from the cache' : 'as the catalog has them'}
          </span>
        </div>
        {tags?.warning && (
          <p className="banner warning inline" role="note">
            {tags.warning}
          </p>
        )}
        <TagsTable repository={repository} pullName={image.pullName} versions={tags?.versions ?? image.versions} host={host} pulled={pulled} selected={plan?.tag} onSelect={setSelected} />
      </section>
      {image.description.trim() && (
        <section className="card">
          <h3>About</h3>
          <SafeMarkdown text={image.description} />
        </section>
      )}
    </div>
  );
}
