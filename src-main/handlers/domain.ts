// The handlers of one contract domain: exactly the requests its contract file declares.
import type { RequestName } from '@shared/contract';
import type { Handlers } from '../router';

/** `Handlers` narrowed to the requests of one contract file's map (e.g. `typeof containersRequests`). */
export type DomainHandlers<Requests> = Pick<Handlers, keyof Requests & RequestName>;
