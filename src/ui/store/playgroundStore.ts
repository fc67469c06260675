/**
 * The page's state: which example is open, the user's workspace for each
 * example, and the last run. Workspaces persist in localStorage (the UI's
 * own storage, never reachable from Lua), one key per example, so
 * switching examples, reloading the page or editing in a second tab loses
 * no edit.
 */
import { createStore } from "zustand";
import type { Scenario } from "../../engine/scenario";
import type { RunOutcome } from "../../host/protocol";
import { DEFAULT_EXAMPLE_ID, EXAMPLES, findExample } from "../examples";
import {
  parseHeaders,
  scenarioFromWorkspace,
  workspaceFromExample,
  type Workspace,
} from "./workspace";
import {
  exampleIdOfKey,
  migrateLegacyWorkspaces,
  OPEN_EXAMPLE_KEY,
  readResetWorkspace,
  readWorkspace,
  readWorkspaces,
  workspaceKey,
  writeResetWorkspace,
  writeWorkspace,
  type KeyValueStorage,
  type ResetWorkspace,
} from "./workspaceStorage";

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
  /** What the last Reset replaced, until the next edit; null if nothing. */
  resetWorkspace: ResetWorkspace | null;
  selectExample(id: string): void;
  updateWorkspace(patch: Partial<Workspace>): void;
  /**
   * Puts the open example back to its shipped config and request, keeping
   * the edited workspace for undoResetExample until the next edit.
   */
  resetExample(): void;
  /** Restores the workspace the last Reset replaced. */
  undoResetExample(): void;
  /**
   * Replaces the open example's workspace (with an opened .t block),
   * keeping the previous one for undoResetExample until the next edit.
   */
  openWorkspace(workspace: Workspace): void;
  /**
   * Takes in another tab's change to storage `key` (from the window's
   * `storage` event). Only workspaces this tab has not changed itself are
   * taken, so this tab's own edits are never overwritten.
   */
  applyStorageChange(key: string | null): void;
  /** Runs the open workspace; resolves when the outcome is in the store. */
  send(): Promise<void>;
}

/** The function that reaches the engine (engineClient.run in the app). */
export type RunEngine = (scenario: Scenario) => Promise<RunOutcome>;

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

function initialExampleId(storage: KeyValueStorage): string {
  const stored = storage.getItem(OPEN_EXAMPLE_KEY);
  const isKnown = EXAMPLES.some((example) => example.id === stored);
  return isKnown && stored ? stored : DEFAULT_EXAMPLE_ID;
}

/** Creates a store that runs scenarios with `runEngine`. */
export function createPlaygroundStore(
  runEngine: RunEngine,
  storage: KeyValueStorage,
) {
  migrateLegacyWorkspaces(storage);
  const exampleIds = EXAMPLES.map((example) => example.id);
  // Examples this tab edited, reset or restored; another tab's writes to
  // them are not taken in, so this tab's last word stays on screen.
  const changedHere = new Set<string>();

  const store = createStore<PlaygroundState>()((set, get) => ({
    exampleId: initialExampleId(storage),
    workspaces: readWorkspaces(storage, exampleIds),
    run: idleRun,
    resetWorkspace: readResetWorkspace(storage),

    selectExample(id) {
      if (!exampleIds.includes(id)) return;
      storage.setItem(OPEN_EXAMPLE_KEY, id);
      set({ exampleId: id, run: { ...idleRun, runCount: get().run.runCount } });
    },

    updateWorkspace(patch) {
      const state = get();
      const next = { ...currentWorkspace(state), ...patch };
      changedHere.add(state.exampleId);
      writeWorkspace(storage, state.exampleId, next);
      if (state.resetWorkspace) writeResetWorkspace(storage, null);
      set({
        workspaces: { ...state.workspaces, [state.exampleId]: next },
        resetWorkspace: null,
      });
    },

    resetExample() {
      const { exampleId, workspaces } = get();
      const edited = workspaces[exampleId];
      if (!edited) return;
      const { [exampleId]: _dropped, ...rest } = workspaces;
      const reset = { exampleId, workspace: edited };
      changedHere.add(exampleId);
      writeResetWorkspace(storage, reset);
      storage.removeItem(workspaceKey(exampleId));
      set({ workspaces: rest, resetWorkspace: reset });
    },

    undoResetExample() {
      const { resetWorkspace: reset, workspaces } = get();
      if (!reset) return;
      changedHere.add(reset.exampleId);
      writeWorkspace(storage, reset.exampleId, reset.workspace);
      writeResetWorkspace(storage, null);
      set({
        workspaces: { ...workspaces, [reset.exampleId]: reset.workspace },
        resetWorkspace: null,
      });
    },

    openWorkspace(workspace) {
      const state = get();
      const exampleId = state.exampleId;
      const reset: ResetWorkspace = {
        exampleId,
        workspace: currentWorkspace(state),
        reason: "open-block",
      };
      changedHere.add(exampleId);
      writeResetWorkspace(storage, reset);
      writeWorkspace(storage, exampleId, workspace);
      set({
        workspaces: { ...state.workspaces, [exampleId]: workspace },
        resetWorkspace: reset,
      });
    },

    applyStorageChange(key) {
      const keys = key === null ? exampleIds.map(workspaceKey) : [key];
      for (const changedKey of keys) {
        const exampleId = exampleIdOfKey(changedKey);
        if (!exampleId || !exampleIds.includes(exampleId)) continue;
        if (changedHere.has(exampleId)) continue;
        const workspace = readWorkspace(storage, exampleId);
        const { [exampleId]: _old, ...rest } = get().workspaces;
        set({ workspaces: workspace ? { ...rest, [exampleId]: workspace } : rest });
      }
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
  }));
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
