import type { Architecture } from '@shared/contract';
import { useLive } from '../store/live';
import { hostArchitecture } from './format';

/** This host's architecture as OCI names it (the Docker engine's GOARCH); undefined until the engine answers. */
export const useHostArchitecture = (): Architecture | undefined => hostArchitecture(useLive((s) => s.engine?.arch));
