/**
 * The page's state: which example is open, the user's workspace for each
 * example, and the last run. Workspaces persist in localStorage (the UI's
 * own storage, never reachable from Lua), so switching examples or
 * reloading the page loses no edit.
 */
import { createStore } from "zustand";
import {
  createJSONStorage,
  persist,
  type StateStorage,
} from "zustand/middleware";
import type { Scenario } from "../../engine/scenario";
import type { RunOutcome } from "../../host/protocol";
import { DEFAULT_EXAMPLE_ID, EXAMPLES, findExample } from "../examples";
import {
  parseHeaders,
  scenarioFromWorkspace,
  workspaceFromExample,
  type Workspace,
} from "./workspace";

/** The last Send and what came back. */
export interface RunState {
  status: "idle" | "running" | "done";
  /** The scenario sent; its startTimeMs dates the error log. */
  scenario: Scenario | null;
  outcome: RunOutcome | null;
  /** Counts finished runs, so views can tell a new result from an old one. */
  runCount: number;
}

export interface PlaygroundState {
  exampleId: string;
  /** Edited workspaces by example id; a missing entry means untouched. */
  workspaces: Record<string, Workspace>;
  run: RunState;
  selectExample(id: string): void;
  updateWorkspace(patch: Partial<Workspace>): void;
  /** Puts the open example back to its shipped config and request. */
  resetExample(): void;
  /** Runs the open workspace; resolves when the outcome is in the store. */
  send(): Promise<void>;
}

/** The function that reaches the engine (engineClient.run in the app). */
export type RunEngine = (scenario: Scenario) => Promise<RunOutcome>;

/** The localStorage key; bump the version when Workspace changes shape. */
export const STORAGE_KEY = "openresty-playground:workspaces";

const shippedWorkspaces = new Map<string, Workspace>();

/**
 * Returns the workspace of the open example, edited or not. An untouched one is
 * the same object on every call, so React selectors can compare it.
 */
export function currentWorkspace(state: PlaygroundState): Workspace {
  const edited = state.workspaces[state.exampleId];
  if (edited) return edited;
  let shipped = shippedWorkspaces.get(state.exampleId);
  if (!shipped) {
    shipped = workspaceFromExample(findExample(state.exampleId));
    shippedWorkspaces.set(state.exampleId, shipped);
  }
  return shipped;
}

const idleRun: RunState = {
  status: "idle",
  scenario: null,
  outcome: null,
  runCount: 0,
};

/** Creates a store that runs scenarios with `runEngine`. */
export function createPlaygroundStore(
  runEngine: RunEngine,
  storage: StateStorage,
) {
  const store = createStore<PlaygroundState>()(
    persist(
      (set, get) => ({
        exampleId: DEFAULT_EXAMPLE_ID,
        workspaces: {},
        run: idleRun,

        selectExample(id) {
          if (!EXAMPLES.some((example) => example.id === id)) return;
          set({ exampleId: id, run: { ...idleRun, runCount: get().run.runCount } });
        },

        updateWorkspace(patch) {
          const state = get();
          const next = { ...currentWorkspace(state), ...patch };
          set({ workspaces: { ...state.workspaces, [state.exampleId]: next } });
        },

        resetExample() {
          const { [get().exampleId]: _dropped, ...rest } = get().workspaces;
          set({ workspaces: rest });
        },

        async send() {
          const workspace = currentWorkspace(get());
          const parsed = parseHeaders(workspace.headersText);
          if ("error" in parsed) {
            const outcome: RunOutcome = {
              ok: false,
              error: { code: "INVALID_REQUEST", message: parsed.error },
            };
            finish(null, outcome);
            return;
          }
          let scenario: Scenario;
          try {
            scenario = scenarioFromWorkspace(workspace, parsed.headers);
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            finish(null, { ok: false, error: { code: "INVALID_REQUEST", message } });
            return;
          }
          set({ run: { ...get().run, status: "running", scenario } });
          const outcome = await runEngine(scenario);
          // A newer Send cancels this one; its own outcome wins.
          if (get().run.scenario !== scenario) return;
          finish(scenario, outcome);
        },
      }),
      {
        name: STORAGE_KEY,
        version: 1,
        storage: createJSONStorage(() => storage),
        partialize: (state) => ({
          exampleId: state.exampleId,
          workspaces: state.workspaces,
        }),
      },
    ),
  );
  return store;

  function finish(scenario: Scenario | null, outcome: RunOutcome): void {
    store.setState((state) => ({
      run: {
        status: "done",
        scenario,
        outcome,
        runCount: state.run.runCount + 1,
      },
    }));
  }
}
