// Which container names have a gate operation under way, per engine: a second launch of a name
// (or a start of a container that is being launched, restarted…) is refused at once instead of
// racing the first one to the engine. Synchronous, so a check and its claim cannot be split by
// another request.
import type { Actor } from '@shared/contract';
import { AppError } from '@shared/errors';

export interface InFlight {
  /**
   * Claims `name` on the engine for `doing` (e.g. "launch", "start") by `actor`; returns the
   * function that lets it go (idempotent). Throws CONFLICT, naming what is under way and who asked
   * for it, while another claim on the same name is held. A name is matched as Docker matches it:
   * exactly, with or without its leading "/".
   */
  claim(engine: { id: string; name: string }, name: string, doing: string, actor: Actor): () => void;
}

export function createInFlight(): InFlight {
  const held = new Map<string, { doing: string; actor: Actor }>();
  return {
    claim(engine, name, doing, actor) {
      const bare = name.replace(/^\//, '');
      const key = `${engine.id}\u0000${bare}`;
      const busy = held.get(key);
      if (busy) {
        throw new AppError('CONFLICT', `${doing} ${bare}: a ${busy.doing} of container ${bare} on engine ${engine.name} (by ${busy.actor}) is under way; try again when it has finished`);
      }
      const mine = { doing, actor };
      held.set(key, mine);
      return () => {
        if (held.get(key) === mine) held.delete(key);
      };
    },
  };
}
