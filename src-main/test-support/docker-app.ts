// Helpers for the Docker integration tests: a real app on a temp data folder, calls through the
// real router (so validation is exercised), and cleanup of everything a run labelled.
import type Docker from 'dockerode';
import { AppError } from '@shared/errors';
import type { RequestInput, RequestName, RequestOutput } from '@shared/contract';
import { TEST_LABEL, waitFor } from './index';
import { createApp, type App } from '../core/app';

export const RUN = `${process.pid}-${Date.now().toString(36)}`;
export const testLabels = { [TEST_LABEL]: RUN };

export async function startApp(dataDir: string, docker: Docker): Promise<App> {
  const app = createApp({ dataDir, version: 'test', docker, sampleIntervalMs: 60_000 });
  await app.start();
  await waitFor(() => app.engine.get().state === 'connected', 10_000, 'engine connected');
  return app;
}

export async function call<N extends RequestName>(app: App, name: N, input: RequestInput<N>): Promise<RequestOutput<N>> {
  const r = await app.router.dispatch(name, input);
  if (!r.ok) throw AppError.fromBody(r.error);
  return r.value as RequestOutput<N>;
}


/** Removes every container this test run created (by its run label). */
export async function removeTestContainers(docker: Docker): Promise<void> {
  const list = await docker.listContainers({ all: true, filters: { label: [`${TEST_LABEL}=${RUN}`] } });
  await Promise.all(list.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
}
