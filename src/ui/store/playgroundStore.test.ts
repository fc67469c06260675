import { describe, expect, it } from "vitest";
import type { RunResult, Scenario } from "../../engine/scenario";
import type { RunOutcome } from "../../host/protocol";
import { findExample } from "../examples";
import { createPlaygroundStore, currentWorkspace } from "./playgroundStore";
import {
  LEGACY_STORAGE_KEY,
  OPEN_EXAMPLE_KEY,
  UNDO_RESET_KEY,
  workspaceKey,
} from "./workspaceStorage";

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

const okResult = { responses: [], errorLog: [] } as unknown as RunResult;

function setup(storage = memoryStorage()) {
  const sent: Scenario[] = [];
  const store = createPlaygroundStore(async (scenario) => {
    sent.push(scenario);
    return { ok: true, result: okResult };
  }, storage);
  return { store, storage, sent };
}

describe("playgroundStore", () => {
  it("opens the phases example by default", () => {
    const { store } = setup();
    expect(store.getState().exampleId).toBe("phases");
    expect(currentWorkspace(store.getState()).nginxConf).toBe(
      findExample("phases").nginxConf,
    );
  });

  it("keeps edits when switching examples", () => {
    const { store } = setup();
    store.getState().updateWorkspace({ nginxConf: "my edit" });
    store.getState().selectExample("exit");
    expect(currentWorkspace(store.getState()).uri).toBe("/error");
    store.getState().selectExample("phases");
    expect(currentWorkspace(store.getState()).nginxConf).toBe("my edit");
  });

  it("persists each workspace under its own key", () => {
    const { store, storage } = setup();
    store.getState().updateWorkspace({ uri: "/saved" });
    const saved = JSON.parse(storage.items.get(workspaceKey("phases"))!);
    expect(saved.workspace.uri).toBe("/saved");
    expect(saved.run).toBeUndefined();
    expect(storage.items.has(workspaceKey("exit"))).toBe(false);
  });

  it("restores workspaces after a reload", () => {
    const { store, storage } = setup();
    store.getState().selectExample("exit");
    store.getState().updateWorkspace({ uri: "/kept" });
    const reloaded = setup(storage).store;
    expect(reloaded.getState().exampleId).toBe("exit");
    expect(currentWorkspace(reloaded.getState()).uri).toBe("/kept");
  });

  it("resets an example to its shipped text", () => {
    const { store } = setup();
    store.getState().updateWorkspace({ nginxConf: "broken" });
    store.getState().resetExample();
    expect(currentWorkspace(store.getState()).nginxConf).toBe(
      findExample("phases").nginxConf,
    );
  });

  it("reset removes the stored workspace", () => {
    const { store, storage } = setup();
    store.getState().updateWorkspace({ nginxConf: "broken" });
    store.getState().resetExample();
    expect(storage.items.has(workspaceKey("phases"))).toBe(false);
  });

  it("undo reset restores the edit", () => {
    const { store, storage } = setup();
    store.getState().updateWorkspace({ nginxConf: "my edit" });
    store.getState().resetExample();
    expect(store.getState().resetWorkspace?.exampleId).toBe("phases");
    store.getState().undoResetExample();
    expect(currentWorkspace(store.getState()).nginxConf).toBe("my edit");
    expect(store.getState().resetWorkspace).toBeNull();
    expect(storage.items.has(UNDO_RESET_KEY)).toBe(false);
    const saved = JSON.parse(storage.items.get(workspaceKey("phases"))!);
    expect(saved.workspace.nginxConf).toBe("my edit");
  });

  it("undo reset survives a reload", () => {
    const { store, storage } = setup();
    store.getState().updateWorkspace({ nginxConf: "my edit" });
    store.getState().resetExample();
    const reloaded = setup(storage).store;
    expect(currentWorkspace(reloaded.getState()).nginxConf).toBe(
      findExample("phases").nginxConf,
    );
    reloaded.getState().undoResetExample();
    expect(currentWorkspace(reloaded.getState()).nginxConf).toBe("my edit");
  });

  it("next edit drops the undo", () => {
    const { store, storage } = setup();
    store.getState().updateWorkspace({ nginxConf: "my edit" });
    store.getState().resetExample();
    store.getState().updateWorkspace({ uri: "/other" });
    expect(store.getState().resetWorkspace).toBeNull();
    expect(storage.items.has(UNDO_RESET_KEY)).toBe(false);
  });

  it("reset of an untouched example offers no undo", () => {
    const { store } = setup();
    store.getState().resetExample();
    expect(store.getState().resetWorkspace).toBeNull();
  });

  it("sends copies and headers as one request step", async () => {
    const { store, sent } = setup();
    store.getState().updateWorkspace({
      copies: 3,
      headersText: "X-Foo: bar\n\nAccept: */*",
      body: "a=1",
      method: "POST",
    });
    await store.getState().send();
    const step = sent[0].steps[0];
    expect(step.step).toBe("request");
    if (step.step !== "request") return;
    expect(step.request.parallel).toBe(3);
    expect(step.request.method).toBe("POST");
    expect(step.request.body).toBe("a=1");
    expect(step.request.headers).toEqual([
      ["X-Foo", "bar"],
      ["Accept", "*/*"],
    ]);
    expect(sent[0].confPath).toBe("nginx.conf");
    expect(store.getState().run.status).toBe("done");
    expect(store.getState().run.runCount).toBe(1);
  });

  it("reports a bad header line without running", async () => {
    const { store, sent } = setup();
    store.getState().updateWorkspace({ headersText: "no colon here" });
    await store.getState().send();
    expect(sent).toHaveLength(0);
    const outcome = store.getState().run.outcome as RunOutcome;
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.message).toContain("line 1");
  });

  it("drops the outcome of a run that a newer send replaced", async () => {
    const storage = memoryStorage();
    const resolvers: Array<(outcome: RunOutcome) => void> = [];
    const store = createPlaygroundStore(
      () => new Promise((resolve) => resolvers.push(resolve)),
      storage,
    );
    const first = store.getState().send();
    const second = store.getState().send();
    resolvers[1]({ ok: true, result: { ...okResult, endTime: 2 } });
    await second;
    resolvers[0]({ ok: false, error: { code: "RUN_CANCELLED", message: "x" } });
    await first;
    const outcome = store.getState().run.outcome;
    expect(outcome?.ok && outcome.result.endTime).toBe(2);
  });
});

describe("playgroundStore across tabs", () => {
  it("keeps both tabs' edits of different examples", () => {
    const storage = memoryStorage();
    const first = setup(storage).store;
    const second = setup(storage).store;
    first.getState().updateWorkspace({ uri: "/from-tab-1" });
    second.getState().selectExample("exit");
    second.getState().updateWorkspace({ uri: "/from-tab-2" });
    first.getState().updateWorkspace({ uri: "/from-tab-1-again" });
    const reloaded = setup(storage).store;
    reloaded.getState().selectExample("phases");
    expect(currentWorkspace(reloaded.getState()).uri).toBe("/from-tab-1-again");
    reloaded.getState().selectExample("exit");
    expect(currentWorkspace(reloaded.getState()).uri).toBe("/from-tab-2");
  });

  it("picks up another tab's edit", () => {
    const storage = memoryStorage();
    const first = setup(storage).store;
    const second = setup(storage).store;
    second.getState().updateWorkspace({ uri: "/from-tab-2" });
    first.getState().applyStorageChange(workspaceKey("phases"));
    expect(currentWorkspace(first.getState()).uri).toBe("/from-tab-2");
  });

  it("picks up another tab's reset", () => {
    const storage = memoryStorage();
    const first = setup(storage).store;
    const second = setup(storage).store;
    second.getState().updateWorkspace({ uri: "/from-tab-2" });
    first.getState().applyStorageChange(workspaceKey("phases"));
    second.getState().resetExample();
    first.getState().applyStorageChange(workspaceKey("phases"));
    expect(currentWorkspace(first.getState()).uri).toBe(findExample("phases").request.uri);
  });

  it("keeps its own edit over another tab's", () => {
    const storage = memoryStorage();
    const first = setup(storage).store;
    const second = setup(storage).store;
    first.getState().updateWorkspace({ uri: "/mine" });
    second.getState().updateWorkspace({ uri: "/theirs" });
    first.getState().applyStorageChange(workspaceKey("phases"));
    expect(currentWorkspace(first.getState()).uri).toBe("/mine");
  });

  it("ignores keys that are not workspaces", () => {
    const { store } = setup();
    const before = store.getState().workspaces;
    store.getState().applyStorageChange(OPEN_EXAMPLE_KEY);
    expect(store.getState().workspaces).toBe(before);
  });
});

describe("playgroundStore migration", () => {
  it("reads the old single key once", () => {
    const storage = memoryStorage();
    const phases = { ...findExample("phases").request, nginxConf: "old edit", copies: 1 };
    const legacy = { state: { exampleId: "exit", workspaces: { phases } }, version: 1 };
    storage.setItem(LEGACY_STORAGE_KEY, JSON.stringify(legacy));
    const store = setup(storage).store;
    expect(store.getState().exampleId).toBe("exit");
    expect(store.getState().workspaces.phases.nginxConf).toBe("old edit");
    expect(storage.items.has(LEGACY_STORAGE_KEY)).toBe(false);
    expect(storage.items.has(workspaceKey("phases"))).toBe(true);
  });

  it("prefers a newer per-example key", () => {
    const storage = memoryStorage();
    setup(storage).store.getState().updateWorkspace({ nginxConf: "newer" });
    const phases = { ...findExample("phases").request, nginxConf: "older", copies: 1 };
    const legacy = { state: { exampleId: "phases", workspaces: { phases } }, version: 1 };
    storage.setItem(LEGACY_STORAGE_KEY, JSON.stringify(legacy));
    const store = setup(storage).store;
    expect(store.getState().workspaces.phases.nginxConf).toBe("newer");
  });

  it("ignores a malformed old value", () => {
    const storage = memoryStorage();
    storage.setItem(LEGACY_STORAGE_KEY, "{not json");
    const store = setup(storage).store;
    expect(store.getState().workspaces).toEqual({});
    expect(storage.items.has(LEGACY_STORAGE_KEY)).toBe(false);
  });
});

describe("Then field", () => {
  it("rejects a mistyped step instead of sending it as a body", async () => {
    const { parseStepsText } = await import("./workspace");
    expect(() => parseStepsText("GET /t\nkil-worker")).toThrow(/line 2: "kil-worker" is not a step/);
    expect(() => parseStepsText("x0 GET /t")).toThrow(/between x1 and x16/);
    expect(parseStepsText("reload\nx2 GET /t\nsleep 0.5")).toHaveLength(3);
  });
});
