/**
 * The page's single store instance, wired to the engine's Web Worker and
 * to localStorage, and the React hook that reads it.
 */
import { useStore } from "zustand";
import { run } from "../../host/engineClient";
import { createPlaygroundStore, type PlaygroundState } from "./playgroundStore";
import { createTestNginxStore, type TestNginxState } from "./testNginxStore";
import { createExplorerStore, type ExplorerState } from "./explorerStore";

export const playgroundStore = createPlaygroundStore(run, localStorage);

/** The Test::Nginx panel's store; its blocks run in the same engine worker. */
export const testNginxStore = createTestNginxStore(run);

// Another tab of the page wrote to localStorage (the event never fires in
// the tab that wrote).
window.addEventListener("storage", (event) => {
  if (event.storageArea !== localStorage) return;
  playgroundStore.getState().applyStorageChange(event.key);
});

/** Selects a slice of the page state and re-renders when it changes. */
export function usePlayground<T>(selector: (state: PlaygroundState) => T): T {
  return useStore(playgroundStore, selector);
}

/** The interleaving explorer's store; it runs in the same engine worker. */
export const explorerStore = createExplorerStore(run);

/** Selects a slice of the explorer's state. */
export function useExplorer<T>(selector: (state: ExplorerState) => T): T {
  return useStore(explorerStore, selector);
}

/** Selects a slice of the Test::Nginx panel state. */
export function useTestNginx<T>(selector: (state: TestNginxState) => T): T {
  return useStore(testNginxStore, selector);
}
