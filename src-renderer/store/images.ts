import { create } from 'zustand';
import type { ImageSummary, PullProgress } from '@shared/contract';
import { errorText } from '../docker/format';

/** The engine's images and the pulls under way or finished (until hidden), kept by `pull.progress`. */
export interface ImagesState {
  /** Undefined until the first load answers. */
  images?: ImageSummary[];
  error?: string;
  /** By image reference, in the order the pulls began. */
  pulls: Record<string, PullProgress>;
}

export const useImagesStore = create<ImagesState>(() => ({ pulls: {} }));

/**
 * One `pull.progress` event: the pull's row takes the new figures. Returns whether the image list
 * must be read again: a pull that just finished well added an image (there is no images event).
 */
export function applyPull(state: ImagesState, p: PullProgress): { state: ImagesState; reload: boolean } {
  const was = state.pulls[p.ref];
  const reload = p.done && !p.error && !(was?.done && !was.error);
  return { state: { ...state, pulls: { ...state.pulls, [p.ref]: p } }, reload };
}

/** The finished pull of `ref` hidden by the user. */
export function hidePull(state: ImagesState, ref: string): ImagesState {
  const { [ref]: _gone, ...pulls } = state.pulls;
  return { ...state, pulls };
}

/** A fresh list from `images.list`, clearing any earlier error. */
export function loadedImages(state: ImagesState, images: ImageSummary[]): ImagesState {
  return { ...state, images, error: undefined };
}

/** A failed call (load or remove), in words; the last list stays shown. */
export function failedImages(state: ImagesState, e: unknown): ImagesState {
  return { ...state, error: errorText(e) };
}
