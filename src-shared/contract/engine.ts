import { z } from 'zod';
import { event, request } from './define';
import { engineId } from './refs';

export type EngineState = 'connecting' | 'connected' | 'unreachable';

/** What we know of one Docker engine right now. */
export interface EngineStatus {
  state: EngineState;
  /** Where we talk to it: the socket path or tcp URL. */
  host: string;
  version?: string;
  apiVersion?: string;
  os?: string;
  arch?: string;
  /** Container runtimes the engine offers, e.g. runc, nvidia. */
  runtimes?: string[];
  /** Why it is unreachable, in the engine's or the OS's words. */
  error?: string;
  /** When it entered this state (ms since epoch). */
  since: number;
}

export const engineRequests = {
  'engine.get': request(z.object({}).strict()).returns<EngineStatus>(),
};
export const engineEvents = {
  'engine.status': event<EngineStatus>(),
};

/** An engine the app talks to: the local one ("local", DOCKER_HOST honoured) or one a user added. */
export interface EngineInfo {
  id: string;
  name: string;
  kind: 'local' | 'unix' | 'tcp' | 'ssh';
  /**
   * Reached over plain TCP without TLS (an added tcp engine without TLS files, or DOCKER_HOST=tcp://…
   * without DOCKER_TLS_VERIFY): anyone on the path can read and drive it; registry logins are never sent to it.
   */
  cleartext: boolean;
  status: EngineStatus;
}

/** A local file (socket, TLS or SSH key file): absolute, without "..", control characters or NUL. */
const abs = z
  .string()
  .max(4096)
  .startsWith('/', 'an absolute path')
  .refine((p) => !/[\0-\x1f\x7f]/.test(p) && !p.split('/').includes('..'), 'an absolute path without .. or control characters');
/** A DNS name (RFC 1123, at most 253 characters) or an IPv4 address. */
const host = z.string().max(253).regex(/^[a-zA-Z0-9.-]+$/, 'a host name or IPv4 address');
export const engineAddSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('unix'), name: z.string().min(1).max(64), socketPath: abs }).strict(),
  z
    .object({
      kind: z.literal('tcp'),
      name: z.string().min(1).max(64),
      host,
      port: z.number().int().min(1).max(65535),
      /** Paths to the client TLS files, as `docker --tlsverify` takes them. */
      tls: z.object({ ca: abs, cert: abs, key: abs }).strict().optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('ssh'),
      name: z.string().min(1).max(64),
      host,
      port: z.number().int().min(1).max(65535).default(22),
      username: z.string().max(32).regex(/^[a-z_][a-z0-9_-]*$/, 'a user name'),
      privateKeyPath: abs.optional(),
    })
    .strict(),
]);
export type EngineAdd = z.output<typeof engineAddSchema>;

export const enginesRequests = {
  'engines.list': request(z.object({}).strict()).returns<EngineInfo[]>(),
  'engines.add': request(engineAddSchema).returns<EngineInfo>(),
  'engines.remove': request(z.object({ id: engineId }).strict()).returns<{ removed: boolean }>(),
};
export const enginesEvents = {
  'engines.changed': event<EngineInfo[]>(),
};
