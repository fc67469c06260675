/**
 * The state of the Test::Nginx panel: the imported `.t` file, its blocks
 * and the check of each block's last run. Importing never touches the
 * workspace; opening a block goes through the playground store, which
 * keeps the replaced workspace for undo.
 */
import { createStore } from "zustand";
import type { RunResult, Scenario } from "../../engine/scenario";
import { runBlockCheck, type BlockCheck } from "../../engine/testnginx/checkRun";
import { parseTestFile, type TestBlock } from "../../engine/testnginx/parseTestFile";
import type { RunEngine } from "./playgroundStore";

/** One block of the imported file and its last check. */
export interface BlockEntry {
  block: TestBlock;
  status: "idle" | "running" | "done";
  check: BlockCheck | null;
}

/** The dialog of the panel that is open, if any. */
export type TestNginxDialog = "import" | "export" | null;

export interface TestNginxState {
  /** The imported file's name (or "pasted.t"); null before an import. */
  fileName: string | null;
  fileText: string;
  blocks: BlockEntry[];
  /** The reason the last import gave nothing to run, or null. */
  importError: string | null;
  dialog: TestNginxDialog;
  /** True while Run all goes through the blocks. */
  isRunningAll: boolean;
  setDialog(dialog: TestNginxDialog): void;
  /** Parses `text` and shows its blocks; the workspace is left alone. */
  importText(text: string, fileName: string): void;
  /** Runs and checks the block at `index` of the list. */
  runBlock(index: number): Promise<void>;
  /** Runs every block in order, one at a time. */
  runAll(): Promise<void>;
  /** Hides the panel and drops the imported file. */
  close(): void;
}

/** Adapts the engine client to the ScenarioRunner the checker takes. */
function scenarioRunner(runEngine: RunEngine) {
  return async (scenario: Scenario): Promise<RunResult> => {
    const outcome = await runEngine(scenario);
    if (!outcome.ok) throw new Error(outcome.error.message);
    return outcome.result;
  };
}

/** Creates the panel's store; blocks run through `runEngine`. */
export function createTestNginxStore(runEngine: RunEngine) {
  const run = scenarioRunner(runEngine);

  const store = createStore<TestNginxState>()((set, get) => ({
    fileName: null,
    fileText: "",
    blocks: [],
    importError: null,
    dialog: null,
    isRunningAll: false,

    setDialog(dialog) {
      set({ dialog });
    },

    importText(text, fileName) {
      const blocks = parseTestFile(text);
      set({
        fileName,
        fileText: text,
        blocks: blocks.map((block) => ({ block, status: "idle", check: null })),
        importError:
          blocks.length === 0 ? `${fileName} has no "=== TEST" blocks` : null,
        dialog: null,
      });
    },

    async runBlock(index) {
      const entry = get().blocks[index];
      if (!entry) return;
      const fileText = get().fileText;
      updateEntry(index, { status: "running" });
      const check = await runBlockCheck(entry.block, run, fileText);
      // A new import replaced the list while this block ran.
      if (get().blocks[index]?.block !== entry.block) return;
      updateEntry(index, { status: "done", check });
    },

    async runAll() {
      if (get().isRunningAll) return;
      set({ isRunningAll: true });
      const blocks = get().blocks;
      for (let index = 0; index < blocks.length; index++) {
        // A new import replaced the list: stop running the old one.
        if (get().blocks[index]?.block !== blocks[index].block) break;
        await get().runBlock(index);
      }
      set({ isRunningAll: false });
    },

    close() {
      set({ fileName: null, fileText: "", blocks: [], importError: null });
    },
  }));
  return store;

  function updateEntry(index: number, patch: Partial<BlockEntry>): void {
    store.setState((state) => ({
      blocks: state.blocks.map((entry, at) => (at === index ? { ...entry, ...patch } : entry)),
    }));
  }
}
