import { useState } from 'react';
import type { LaunchOverrides, PullProgress } from '@shared/contract';
import { api } from '../api';
import { errorText } from '../docker/format';
import { useImagesStore } from '../store/images';
import { launchPull } from './launch-pull';

type LaunchState = { kind: 'idle' } | { kind: 'launching'; before: Record<string, PullProgress> } | { kind: 'error'; message: string };

/** What a Launch may say beyond the image: a tag, and Customise…'s overrides (remembered for the image's next launches). */
export interface LaunchChoice {
  tag?: string;
  overrides?: LaunchOverrides;
  remember?: boolean;
}

/**
 * One-click launch of a catalog image through `catalog.launch` (which pulls when needed, then launches
 * through containers.launch's gate), the pull it started (from `pull.progress`, kept in the images
 * store), and on success the container's page.
 */
export function useOneClickLaunch(repository: string, pullName: string) {
  const [state, setState] = useState<LaunchState>({ kind: 'idle' });
  const pull = useImagesStore((s) => (state.kind === 'launching' ? launchPull(s.pulls, state.before, pullName) : undefined));
  const launch = async (choice: LaunchChoice = {}) => {
    setState({ kind: 'launching', before: useImagesStore.getState().pulls });
    try {
      const c = await api.call('catalog.launch', { repository, ...choice });
      setState({ kind: 'idle' });
      location.hash = `#/containers/${encodeURIComponent(c.id)}`;
    } catch (e) {
      setState({ kind: 'error', message: errorText(e) });
    }
  };
  return { launching: state.kind === 'launching', error: state.kind === 'error' ? state.message : undefined, pull, launch };
}
