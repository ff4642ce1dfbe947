// The names a request uses for things on an engine. Each reaches an Engine API path
// (/containers/{id}/stop, /images/{name}), so each goes through one validator that lets no
// "/", ".." or space through: a caller cannot reach another endpoint by a crafted name.
import { z } from 'zod';
import { checkContainerRef, checkImageRef } from '../launch';
import { via } from './parse';

/** An engine's id as engines.list gives it: "local" or the id the app assigned (never a path or a URL). */
export const engineId = z.string().max(64).regex(/^[a-zA-Z0-9_-]{1,64}$/, 'an engine id as engines.list gives it, such as local');

/** A container by id (12–64 hex digits) or name (Docker's rule): checkContainerRef. */
export const containerRef = via(checkContainerRef, 128);

/** An image by reference ([registry/]name[:tag][@digest]) or id (sha256:<hex>): checkImageRef. */
export const imageRef = via(checkImageRef, 512);
