import type { PullProgress } from '@shared/contract';
import { api } from '../api';
import { changeKind, dropContainer, failedContainers, loadedContainers, upsertContainer, useContainersStore } from './containers';
import { applyHealth, dismissAlert, loadedAlerts, raiseAlert, useHealthStore } from './health';
import { applyPull, failedImages, hidePull, loadedImages, useImagesStore } from './images';

/** Bursts of Docker events (a stop is kill, die, stop…) become one read. */
const SETTLE_MS = 150;

/** Reads the container list again (after a reconnect, an engine coming back, or a container the list lacks). */
export async function reloadContainers(): Promise<void> {
  try {
    const list = await api.call('containers.list', {});
    useContainersStore.setState((s) => loadedContainers(s, list), true);
  } catch (e) {
    useContainersStore.setState((s) => failedContainers(s, e), true);
  }
}

/** Reads every judgement and the stored alerts again. */
export async function reloadHealth(): Promise<void> {
  const [health, alerts] = await Promise.all([api.call('health.list', {}).catch(() => undefined), api.call('alerts.list', {}).catch(() => undefined)]);
  useHealthStore.setState((s) => {
    const withHealth = health ? applyHealth(s, health) : s;
    return alerts ? loadedAlerts(withHealth, alerts) : withHealth;
  });
}

/** Reads the image list again (after a pull, a removal or a reconnect). */
export async function reloadImages(): Promise<void> {
  try {
    const images = await api.call('images.list', {});
    useImagesStore.setState((s) => loadedImages(s, images));
  } catch (e) {
    useImagesStore.setState((s) => failedImages(s, e));
  }
}

/** Dismisses an alert here at once and in the core (where a failure changes nothing shown). */
export function dismiss(id: number): void {
  useHealthStore.setState((s) => dismissAlert(s, id));
  void api.call('alerts.dismiss', { id }).catch(() => undefined);
}

/** One pull's figures (a `pull.progress` event or `images.pull`'s answer); a pull that just finished well reads the image list again. */
export function notePull(p: PullProgress): void {
  const { state, reload } = applyPull(useImagesStore.getState(), p);
  useImagesStore.setState(state, true);
  if (reload) void reloadImages();
}

/** Hides a finished pull's progress. */
export function hidePullProgress(ref: string): void {
  useImagesStore.setState((s) => hidePull(s, ref));
}

const reloadAll = () => void Promise.all([reloadContainers(), reloadHealth(), reloadImages()]);

/**
 * Keeps the container, health and image stores: listens to their events (which subscribes this
 * connection to them), loads each snapshot once, and loads them again after a reconnect or when the
 * engine comes back. Mounted once for the app's life (App.tsx); returns the way to stop.
 */
export function connectStores(): () => void {
  /** Per container: a pending read, and a count of events so a read older than the last event is dropped. */
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  const generation = new Map<string, number>();
  let listTimer: ReturnType<typeof setTimeout> | undefined;
  let engineConnected: boolean | undefined;
  /** Counts container events: a list read while one arrived may predate it, so it is read again. */
  let changes = 0;

  const reloadListSoon = () => {
    clearTimeout(listTimer);
    listTimer = setTimeout(() => {
      const at = changes;
      void reloadContainers().then(() => changes !== at && reloadListSoon());
    }, SETTLE_MS);
  };
  const refresh = (id: string, engine: string, gen: number) => {
    api.call('containers.inspect', { id, engine }).then(
      (d) => generation.get(id) === gen && useContainersStore.setState((s) => upsertContainer(s, d), true),
      // Gone between the event and the read (its destroy event follows), or the engine went away: read the list.
      () => generation.get(id) === gen && reloadListSoon(),
    );
  };

  const offs = [
    api.on('containers.changed', (change) => {
      changes++;
      const gen = (generation.get(change.id) ?? 0) + 1;
      generation.set(change.id, gen);
      clearTimeout(pending.get(change.id));
      pending.delete(change.id);
      const kind = changeKind(useContainersStore.getState(), change);
      if (kind === 'drop') useContainersStore.setState((s) => dropContainer(s, change.id), true);
      else if (kind === 'reload') reloadListSoon();
      else
        pending.set(
          change.id,
          setTimeout(() => {
            pending.delete(change.id);
            refresh(change.id, change.engine, gen);
          }, SETTLE_MS),
        );
    }),
    api.on('engine.status', (engine) => {
      const connected = engine.state === 'connected';
      // Back from unreachable: whatever happened meanwhile sent no events.
      if (connected && engineConnected === false) reloadAll();
      engineConnected = connected;
    }),
    api.on('health.changed', (list) => useHealthStore.setState((s) => applyHealth(s, list))),
    api.on('alerts.raised', (a) => useHealthStore.setState((s) => raiseAlert(s, a))),
    api.on('pull.progress', notePull),
    api.onReconnect(reloadAll),
  ];
  // After the client's subscribe (queued in this tick), so no change between the two is missed.
  queueMicrotask(reloadAll);
  return () => {
    offs.forEach((off) => off());
    pending.forEach((t) => clearTimeout(t));
    clearTimeout(listTimer);
  };
}
