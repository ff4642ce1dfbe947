// A launch's checks that need the engine or this machine, run before anything reaches the engine
// (the contract's schema has checked everything else): bind sources that do not exist, and
// dangerous mounts only the engine can tell (its own socket wherever it lives, a symlink to one).
import { existsSync, realpathSync } from 'node:fs';
import type { LaunchSpec } from '@shared/contract';
import { dangerousMountMessage, dangerousMounts, mountRisk, type DangerousMount } from '@shared/dangerous-mounts';
import { AppError } from '@shared/errors';
import { bindSpec } from '@shared/volumes';
import { LOCAL_ENGINE, type Engine } from '../docker/engine-registry';

/**
 * Every dangerous bind mount of the launch (dangerousMounts), the engine's own socket counted
 * (Engine.socketPath: the unix engine's or the local one's), and on the local engine each
 * source also judged by what it resolves to (a symlink to /var/run/docker.sock is the socket).
 */
export function engineDangerousMounts(engine: Pick<Engine, 'id' | 'socketPath'>, spec: LaunchSpec): DangerousMount[] {
  const sockets = engine.socketPath ? [engine.socketPath] : [];
  const out = dangerousMounts(spec.volumes, sockets);
  if (engine.id !== LOCAL_ENGINE || process.platform === 'win32') return out;
  for (const v of spec.volumes ?? []) {
    if (v.type !== 'bind' || out.some((d) => d.mount === bindSpec(v))) continue;
    let real: string;
    try {
      real = realpathSync(v.source);
    } catch {
      continue; // missing: refused by checkLaunch with its own reason
    }
    const risk = mountRisk({ ...v, source: real }, sockets);
    if (risk) out.push({ mount: bindSpec(v), risk: `${risk} (${v.source} leads to ${real})` });
  }
  return out;
}

/**
 * Synchronous (the gate admits right after it): throws INVALID_INPUT for a bind source missing on
 * the local engine or a dangerous mount not allowed by `allowDangerousMounts`; returns the dangerous
 * mounts that were allowed (journaled with the launch).
 */
export function checkLaunch(engine: Pick<Engine, 'id' | 'socketPath'>, spec: LaunchSpec): DangerousMount[] {
  if (engine.id === LOCAL_ENGINE) {
    for (const v of spec.volumes ?? []) {
      // Docker Desktop on Windows reads a /… source as a path in its Linux VM (/var/run/docker.sock): not ours to check.
      if (v.type === 'bind' && !(process.platform === 'win32' && v.source.startsWith('/')) && !existsSync(v.source)) {
        throw new AppError('INVALID_INPUT', `volume ${v.source}:${v.target}: the host folder ${v.source} does not exist; create it or pick an existing folder`);
      }
    }
  }
  const dangerous = engineDangerousMounts(engine, spec);
  if (dangerous.length && !spec.allowDangerousMounts) throw new AppError('INVALID_INPUT', dangerousMountMessage(dangerous[0]!));
  return dangerous;
}
