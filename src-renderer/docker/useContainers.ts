import { useContainerStats } from '../store/container-stats';
import { useContainersStore } from '../store/containers';
import { useHealthStore } from '../store/health';

/** The container list with health and the latest stats, from the shared stores (kept by events, see store/connect.ts). */
export function useContainers() {
  const list = useContainersStore((s) => s.list);
  const error = useContainersStore((s) => s.error);
  const health = useHealthStore((s) => s.byId);
  const stats = useContainerStats();
  return { list, health, stats, error };
}
