import { useEffect, useState } from 'react';
import type { CatalogImage, CatalogTags, LaunchPlan } from '@shared/contract';
import { api } from '../api';
import { errorText } from '../docker/format';
import { useLive } from '../store/live';

/**
 * One catalog entry and its tags: what the catalog has at once, then the registry's answer (`live`,
 * which falls back to the stored tags with a warning). Read again when the entry changes (`catalog.changed`).
 */
export function useCatalogImage(repository: string) {
  const [image, setImage] = useState<CatalogImage>();
  const [tags, setTags] = useState<CatalogTags>();
  const [readingTags, setReadingTags] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    let gone = false;
    const load = async (live: boolean) => {
      try {
        const [img, t] = await Promise.all([api.call('catalog.get', { repository }), live ? api.call('catalog.tags', { repository, live: true }) : api.call('catalog.tags', { repository })]);
        if (gone) return;
        setImage(img);
        setTags(t);
        setError(undefined);
      } catch (e) {
        if (!gone) setError(errorText(e));
      }
    };
    setReadingTags(true);
    void load(false)
      .then(() => load(true))
      .finally(() => !gone && setReadingTags(false));
    const off = api.on('catalog.changed', (c) => (c.repositories.length === 0 || c.repositories.includes(repository)) && void load(false));
    return () => {
      gone = true;
      off();
    };
  }, [repository]);
  return { image, tags, readingTags, error };
}

/** What Launch would run for `tag` (the plan's own choice when undefined), planned again when the project folder setting changes. */
export function useLaunchPlan(repository: string, tag: string | undefined, reloadKey: unknown) {
  const projectDir = useLive((s) => s.settings?.launch.projectDir);
  const [plan, setPlan] = useState<LaunchPlan>();
  const [error, setError] = useState<string>();
  const [asked, setAsked] = useState(0);
  useEffect(() => {
    let gone = false;
    api.call('catalog.plan', { repository, ...(tag ? { tag } : {}) }).then(
      (p) => {
        if (gone) return;
        setPlan(p);
        setError(undefined);
      },
      (e) => {
        if (gone) return;
        setPlan(undefined);
        setError(errorText(e));
      },
    );
    return () => {
      gone = true;
    };
  }, [repository, tag, projectDir, reloadKey, asked]);
  return { plan, error, replan: () => setAsked((n) => n + 1) };
}
