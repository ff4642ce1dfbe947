// What the Tiers page asks of the core; each answer also goes into the store at once (the events follow).
import type { Tier } from '@shared/contract';
import { api } from '../api';
import { applyJob, useTiersStore } from '../store/tiers';

/** MIME type of a dragged model card (its name). */
export const MODEL_DRAG_TYPE = 'application/x-mlenv-model';

/** Queues a move of `model` to `to` (`tiers.move`): its job joins the list. Rejects with the core's reason. */
export async function moveModel(model: string, to: Tier): Promise<void> {
  const job = await api.call('tiers.move', { model, to });
  useTiersStore.setState((s) => applyJob(s, job).state, true);
}

/** Pins or unpins `model` (a pinned model is never moved by eviction, the optimiser or idle demotion). */
export async function setPinned(model: string, pinned: boolean): Promise<void> {
  await api.call('models.update', { name: model, patch: { pinned } });
}
