import { describe, expect, it } from "vitest";
import { runScenario } from "../../engine/run";
import { exportTestFile } from "../../engine/testnginx/exportTestFile";
import { parseTestFile } from "../../engine/testnginx/parseTestFile";
import type { RunOutcome } from "../../host/protocol";
import {
  exportableWorkspace,
  expectationsFromRun,
  workspaceFromBlock,
} from "../testnginx/workspaceConversion";
import { createPlaygroundStore, currentWorkspace } from "./playgroundStore";
import { createTestNginxStore } from "./testNginxStore";
import { readResetWorkspace, workspaceKey } from "./workspaceStorage";

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

const engine = async (scenario: Parameters<typeof runScenario>[0]): Promise<RunOutcome> => ({
  ok: true,
  result: runScenario(scenario),
});

const FILE = `=== TEST 1: passes
--- config
location = /t {
    content_by_lua_block { ngx.say("ok") }
}
--- request
GET /t
--- response_body
ok

=== TEST 2: fails
--- config
location = /t {
    content_by_lua_block { ngx.say("no") }
}
--- request
GET /t
--- response_body
ok
`;

describe("testNginxStore", () => {
  it("imports blocks without touching the workspace", () => {
    const storage = memoryStorage();
    const playground = createPlaygroundStore(engine, storage);
    const store = createTestNginxStore(engine);
    store.getState().importText(FILE, "pasted.t");
    expect(store.getState().blocks.map((entry) => entry.block.title)).toEqual([
      "passes",
      "fails",
    ]);
    expect(playground.getState().workspaces).toEqual({});
    expect(storage.items.size).toBe(0);
  });

  it("runs all blocks and keeps each check", async () => {
    const store = createTestNginxStore(engine);
    store.getState().importText(FILE, "pasted.t");
    await store.getState().runAll();
    const checks = store.getState().blocks.map((entry) => entry.check?.passed);
    expect(checks).toEqual([true, false]);
    expect(store.getState().isRunningAll).toBe(false);
  });

  it("reports a file without blocks", () => {
    const store = createTestNginxStore(engine);
    store.getState().importText("nothing here", "x.t");
    expect(store.getState().importError).toBe('x.t has no "=== TEST" blocks');
  });

  it("turns an engine failure into a startup error", async () => {
    const store = createTestNginxStore(async () => ({
      ok: false,
      error: { code: "RUN_TIMED_OUT", message: "The run was stopped." },
    }));
    store.getState().importText(FILE, "pasted.t");
    await store.getState().runBlock(0);
    const check = store.getState().blocks[0].check!;
    expect(check.passed).toBe(false);
    expect(check.results[0].message).toContain("The run was stopped.");
  });
});

describe("opening a block", () => {
  it("keeps the previous workspace for undo", () => {
    const storage = memoryStorage();
    const playground = createPlaygroundStore(engine, storage);
    playground.getState().updateWorkspace({ uri: "/mine" });
    const [block] = parseTestFile(FILE);
    playground.getState().openWorkspace(workspaceFromBlock(block).workspace);
    const opened = currentWorkspace(playground.getState());
    expect(opened.nginxConf).toContain('content_by_lua_block { ngx.say("ok") }');
    expect(readResetWorkspace(storage)?.reason).toBe("open-block");
    playground.getState().undoResetExample();
    expect(currentWorkspace(playground.getState()).uri).toBe("/mine");
    expect(storage.items.get(workspaceKey("phases"))).toContain("/mine");
  });

  it("round-trips an example through export, import and open", async () => {
    const playground = createPlaygroundStore(engine, memoryStorage());
    await playground.getState().send();
    const { run } = playground.getState();
    const parts = exportableWorkspace(currentWorkspace(playground.getState()), "Phases");
    const expectations = expectationsFromRun(run.scenario, run.outcome)!;
    const exported = exportTestFile(parts, expectations).text;
    expect(exported).toContain("--- response_body\nhello from content\n");
    expect(exported).toContain("\nlog: status=200 while logging request\n");

    const store = createTestNginxStore(engine);
    store.getState().importText(exported, "phases.t");
    await store.getState().runAll();
    const check = store.getState().blocks[0].check!;
    expect(check.results.filter((result) => !result.passed)).toEqual([]);

    const [block] = parseTestFile(exported);
    playground.getState().openWorkspace(workspaceFromBlock(block).workspace);
    const reopened = exportableWorkspace(currentWorkspace(playground.getState()), "Phases");
    expect(exportTestFile(reopened).text).toBe(exportTestFile(parts).text);
  });
});
