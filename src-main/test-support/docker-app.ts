// Helpers for the Docker integration tests: a real app on a temp data folder, calls through the
// real router (so validation is exercised), and cleanup of everything a run labelled.
import type Docker from 'dockerode';
import { AppError } from '@shared/errors';
import { DEFAULT_ADMISSION_POLICY, type AdmissionPolicySettings, type RequestInput, type RequestName, type RequestOutput } from '@shared/contract';
import { TEST_LABEL, waitFor } from './index';
import { createApp, type App } from '../core/app';
import { createAdmissionRepository } from '../core/store/admission';
import { openDatabase } from '../core/store/db';

export const RUN = `${process.pid}-${Date.now().toString(36)}`;
export const testLabels = { [TEST_LABEL]: RUN };

/**
 * The admission policy of the tests whose subject is not admission: the product's (enforce; unknown
 * figures refuse), with the CPU and load limits opened, because how busy this machine is while the
 * suite runs (2 cores, 100 % in a sample) is not what they test. Memory, disk and GPU checks stay as
 * shipped. The admission tests set their own policies.
 */
export const TEST_ADMISSION_POLICY: AdmissionPolicySettings = {
  ...DEFAULT_ADMISSION_POLICY,
  thresholds: { ...DEFAULT_ADMISSION_POLICY.thresholds, cpuMaxPercent: 100, loadMaxPerCore: 1000 },
};

/** Stores TEST_ADMISSION_POLICY in the data folder `dataDir` (before a process of its own opens it: `mlenv serve`, a CLI command). */
export function seedTestAdmissionPolicy(dataDir: string): void {
  const db = openDatabase(dataDir);
  try {
    createAdmissionRepository(db).savePolicy(JSON.stringify(TEST_ADMISSION_POLICY), Date.now(), 'user');
  } finally {
    db.close();
  }
}

/** An app on `dataDir`, started, with the engine connected and TEST_ADMISSION_POLICY in force. */
export async function startApp(dataDir: string, docker: Docker): Promise<App> {
  const app = createApp({ dataDir, version: 'test', docker, sampleIntervalMs: 60_000 });
  app.repositories.admission.savePolicy(JSON.stringify(TEST_ADMISSION_POLICY), Date.now(), 'user');
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
