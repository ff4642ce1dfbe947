// The containers repository: the `container_instances` table, every container MLEnv launched (or
// started, when it carried our labels but was launched elsewhere), kept after it is removed. What the
// engine cannot tell us lives here: the launch spec (secret env values masked), the project, and the
// state the user asked for last (desired_state), which a reconciler compares with what runs and
// quotas count per project.
import type { ContainerPort, DesiredState, LaunchSpec } from '@shared/contract';
import type { Db } from './db';

export type { DesiredState };

export interface ContainerInstance {
  /** The engine's container id (64 hex). */
  id: string;
  /** The engine's id ('local' for the local engine). */
  engine: string;
  name: string;
  image: string;
  project: string;
  /** The launch spec as kept at rest (secret env values masked); null for a container this app did not launch. */
  spec: LaunchSpec | null;
  /** Ports bound at the last launch or start. */
  ports: ContainerPort[];
  /** ms since epoch. */
  createdAt: number;
  /** ms since epoch; null while the container exists. */
  removedAt: number | null;
  /** null when not known (rows from before migration 007 with no launch, start or stop in the journal). */
  desiredState: DesiredState | null;
}

export interface ContainerFilter {
  engine?: string;
  project?: string;
  desiredState?: DesiredState;
  /** Also the removed ones (default false). */
  includeRemoved?: boolean;
}

type Row = Omit<ContainerInstance, 'spec' | 'ports'> & { spec: string; ports: string | null };
const COLUMNS = 'id, engine, name, image, project, spec, ports, created_at AS createdAt, removed_at AS removedAt, desired_state AS desiredState';
const toInstance = (r: Row): ContainerInstance => {
  // '{}': started here but launched elsewhere, so no spec is known.
  const spec = JSON.parse(r.spec) as Partial<LaunchSpec>;
  return { ...r, spec: typeof spec.image === 'string' ? (spec as LaunchSpec) : null, ports: r.ports ? (JSON.parse(r.ports) as ContainerPort[]) : [] };
};

export function createContainerRepository(db: Db) {
  const launched = db.prepare(
    `INSERT INTO container_instances (id, engine, name, image, project, spec, ports, created_at, desired_state)
     VALUES (@id, @engine, @name, @image, @project, @spec, @ports, @createdAt, @desiredState)
     ON CONFLICT (id) DO UPDATE SET ports = excluded.ports, desired_state = excluded.desired_state, removed_at = NULL`,
  );
  // A container we did not launch keeps no spec ('{}'); one we did keeps its own.
  const started = db.prepare(
    `INSERT INTO container_instances (id, engine, name, image, project, spec, ports, created_at, desired_state)
     VALUES (@id, @engine, @name, @image, @project, '{}', @ports, @createdAt, 'running')
     ON CONFLICT (id) DO UPDATE SET ports = excluded.ports, desired_state = 'running'`,
  );
  const desire = db.prepare('UPDATE container_instances SET desired_state = ? WHERE id = ?');
  const removed = db.prepare('UPDATE container_instances SET removed_at = ? WHERE id = ? AND removed_at IS NULL');
  const one = db.prepare(`SELECT ${COLUMNS} FROM container_instances WHERE id = ?`);

  return {
    /** A container just launched (or created: desiredState 'stopped' when the launch did not start it). */
    recordLaunch(c: Omit<ContainerInstance, 'removedAt' | 'desiredState' | 'spec'> & { spec: LaunchSpec; desiredState: DesiredState }): void {
      const { id, engine, name, image, project, createdAt, desiredState } = c;
      launched.run({ id, engine, name, image, project, createdAt, desiredState, spec: JSON.stringify(c.spec), ports: JSON.stringify(c.ports) });
    },
    /** A container just started or restarted: its bound ports, desired running; added (without a spec) when it was not launched here. */
    recordStart(c: Pick<ContainerInstance, 'id' | 'engine' | 'name' | 'image' | 'project' | 'ports' | 'createdAt'>): void {
      const { id, engine, name, image, project, createdAt } = c;
      started.run({ id, engine, name, image, project, createdAt, ports: JSON.stringify(c.ports) });
    },
    /** The state the user asked for (stop → 'stopped', pause → 'paused', unpause → 'running'); false when the container is not kept here. */
    setDesiredState: (id: string, state: DesiredState): boolean => desire.run(state, id).changes > 0,
    /** The container was removed at `removedAt` (ms since epoch); its row stays for the journal and health rows that name it. */
    markRemoved: (id: string, removedAt: number): boolean => removed.run(removedAt, id).changes > 0,
    /** One container by its full id, removed or not. */
    get(id: string): ContainerInstance | undefined {
      const r = one.get(id) as Row | undefined;
      return r && toInstance(r);
    },
    /**
     * The containers matching every given filter (by engine, by project, by desired state), existing
     * ones only unless includeRemoved; oldest first. A reconciler asks for { engine, desiredState:
     * 'running' }; quotas for { project }.
     */
    list(f: ContainerFilter = {}): ContainerInstance[] {
      const where: string[] = [];
      const args: Record<string, string> = {};
      for (const [key, column] of [['engine', 'engine'], ['project', 'project'], ['desiredState', 'desired_state']] as const) {
        const value = f[key];
        if (value === undefined) continue;
        where.push(`${column} = @${key}`);
        args[key] = value;
      }
      if (!f.includeRemoved) where.push('removed_at IS NULL');
      const sql = `SELECT ${COLUMNS} FROM container_instances ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, id`;
      return (db.prepare(sql).all(args) as Row[]).map(toInstance);
    },
  };
}
export type ContainerRepository = ReturnType<typeof createContainerRepository>;
