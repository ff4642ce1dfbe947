import { z } from 'zod';
import { event, request } from './define';
import { engineId, imageRef } from './refs';

export interface ImageSummary {
  id: string;
  tags: string[];
  size: number;
  created: number;
  /** Containers (any state) using it, when the engine says. */
  containers: number | null;
}

export interface LayerProgress {
  id: string;
  status: string;
  current: number | null;
  total: number | null;
}

export interface PullProgress {
  ref: string;
  /** The engine's id ('local' for the local engine). */
  engine: string;
  layers: LayerProgress[];
  /** Sums over the layers whose sizes are known. */
  current: number;
  total: number;
  done: boolean;
  error?: string;
  /** Something the user should know about a pull that went ahead (a stored login not sent to a plain-TCP engine). */
  warning?: string;
}

export interface RegistryLogin {
  registry: string;
  username: string;
  updatedAt: number;
}

const registry = z.string().max(261).regex(/^[a-zA-Z0-9.-]+(:\d{1,5})?$/, 'a registry host such as nvcr.io or 127.0.0.1:5000');

export const imagesRequests = {
  'images.list': request(z.object({ engine: engineId.optional() }).strict()).returns<ImageSummary[]>(),
  'images.remove': request(z.object({ ref: imageRef, engine: engineId.optional(), force: z.boolean().default(false) }).strict()).returns<{
    removed: string[];
  }>(),
  /** Resolves when the pull is complete; progress arrives meanwhile as `pull.progress` events. */
  'images.pull': request(z.object({ ref: imageRef, engine: engineId.optional() }).strict()).returns<PullProgress>(),
  'registries.list': request(z.object({}).strict()).returns<RegistryLogin[]>(),
  /** Stores the secret outside the database (OS keychain where available); it is never logged or returned. */
  'registries.login': request(z.object({ registry, username: z.string().min(1).max(256), secret: z.string().min(1).max(8192) }).strict()).returns<RegistryLogin>(),
  'registries.logout': request(z.object({ registry }).strict()).returns<{ removed: boolean }>(),
};

export const imagesEvents = {
  'pull.progress': event<PullProgress>(),
};
