import { create } from 'zustand';
import type { LinkState } from '../api/ws';

/** The renderer's connection to the core (always 'open' under Electron). */
export const useLink = create<{ state: LinkState; set(s: LinkState): void }>((set) => ({
  state: 'connecting',
  set: (state) => set({ state }),
}));
