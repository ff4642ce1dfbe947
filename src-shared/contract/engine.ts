import { z } from 'zod';
import { event, request } from './define';

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
