/**
 * The interleaving explorer's state: it runs the current workspace under
 * several seeds with timing jitter, through the same engine worker as
 * Send, and groups the runs by what the client saw.
 */
import { createStore } from "zustand";
import { addRun, type OutcomeGroup } from "../../engine/exploreGroups";
import type { Scenario } from "../../engine/scenario";
import type { RunEngine } from "./playgroundStore";

/** How many seeds one exploration runs. */
export const EXPLORE_RUNS = 12;
/** The jitter the explorer adds, in virtual ms. */
export const EXPLORE_JITTER_MS = 5;

export interface ExplorerState {
  status: "idle" | "running" | "done";
  /** Runs finished so far in the current exploration. */
  done: number;
  runs: number;
  jitterMs: number;
  groups: OutcomeGroup[];
  error: string | null;
  /** Runs `scenario` under seeds 1..EXPLORE_RUNS and groups the outcomes. */
  explore(scenario: Scenario): Promise<void>;
  close(): void;
}

/** Creates the explorer's store around the engine client's run. */
export function createExplorerStore(runEngine: RunEngine) {
  return createStore<ExplorerState>()((set) => ({
    status: "idle",
    done: 0,
    runs: EXPLORE_RUNS,
    jitterMs: EXPLORE_JITTER_MS,
    groups: [],
    error: null,

    async explore(scenario) {
      const groups: OutcomeGroup[] = [];
      set({ status: "running", done: 0, groups: [], error: null });
      for (let seed = 1; seed <= EXPLORE_RUNS; seed++) {
        const outcome = await runEngine({ ...scenario, seed, jitterMs: EXPLORE_JITTER_MS });
        if (!outcome.ok) {
          set({ status: "done", error: outcome.error.message });
          return;
        }
        addRun(groups, seed, outcome.result);
        set({ done: seed, groups: [...groups] });
      }
      set({ status: "done" });
    },

    close() {
      set({ status: "idle", groups: [], error: null, done: 0 });
    },
  }));
}
