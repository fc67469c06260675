import { describe, expect, it } from "vitest";
import type { RunResult, Scenario } from "../../engine/scenario";
import type { RunOutcome } from "../../host/protocol";
import { findExample } from "../examples";
import {
  createPlaygroundStore,
  currentWorkspace,
  STORAGE_KEY,
} from "./playgroundStore";

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

function setup() {
  const storage = memoryStorage();
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

  it("persists workspaces to storage", () => {
    const { store, storage } = setup();
    store.getState().updateWorkspace({ uri: "/saved" });
    const saved = JSON.parse(storage.items.get(STORAGE_KEY)!);
    expect(saved.state.workspaces.phases.uri).toBe("/saved");
    expect(saved.state.run).toBeUndefined();
  });

  it("resets an example to its shipped text", () => {
    const { store } = setup();
    store.getState().updateWorkspace({ nginxConf: "broken" });
    store.getState().resetExample();
    expect(currentWorkspace(store.getState()).nginxConf).toBe(
      findExample("phases").nginxConf,
    );
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
