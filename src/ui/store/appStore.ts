/**
 * The page's single store instance, wired to the engine's Web Worker and
 * to localStorage, and the React hook that reads it.
 */
import { useStore } from "zustand";
import { run } from "../../host/engineClient";
import { createPlaygroundStore, type PlaygroundState } from "./playgroundStore";

export const playgroundStore = createPlaygroundStore(run, localStorage);

/** Selects a slice of the page state and re-renders when it changes. */
export function usePlayground<T>(selector: (state: PlaygroundState) => T): T {
  return useStore(playgroundStore, selector);
}
