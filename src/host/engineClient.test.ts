import { describe, expect, it } from "vitest";
import type { RunResult, Scenario } from "../engine/scenario";
import { createEngineClient, type EngineWorker } from "./engineClient";
import type { RunReplyMessage, RunRequestMessage } from "./protocol";

class FakeWorker implements EngineWorker {
  onmessage: ((event: MessageEvent<RunReplyMessage>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  posted: RunRequestMessage[] = [];
  isTerminated = false;

  postMessage(message: unknown): void {
    this.posted.push(message as RunRequestMessage);
  }

  terminate(): void {
    this.isTerminated = true;
  }

  reply(runId: number, result: RunResult): void {
    const data: RunReplyMessage = { runId, outcome: { ok: true, result } };
    this.onmessage?.({ data } as MessageEvent<RunReplyMessage>);
  }
}

function setup() {
  const workers: FakeWorker[] = [];
  const timers: Array<{ callback: () => void; isCleared: boolean }> = [];
  const client = createEngineClient({
    createWorker: () => {
      const worker = new FakeWorker();
      workers.push(worker);
      return worker;
    },
    timeoutMs: 15_000,
    setTimer: (callback) => {
      const timer = { callback, isCleared: false };
      timers.push(timer);
      return timer;
    },
    clearTimer: (handle) => {
      (handle as { isCleared: boolean }).isCleared = true;
    },
  });
  return { client, workers, timers };
}

const scenario = { nginxConf: "events {}" } as Scenario;
const result = { responses: [], errorLog: [] } as unknown as RunResult;

describe("engineClient", () => {
  it("resolves with the worker's result", async () => {
    const { client, workers, timers } = setup();
    const outcome = client.run(scenario);
    const posted = workers[0].posted[0];
    expect(posted.scenario).toBe(scenario);
    workers[0].reply(posted.runId, result);
    await expect(outcome).resolves.toEqual({ ok: true, result });
    expect(timers[0].isCleared).toBe(true);
  });

  it("stops a run that exceeds the real-time limit", async () => {
    const { client, workers, timers } = setup();
    const outcome = client.run(scenario);
    timers[0].callback();
    const settled = await outcome;
    expect(settled.ok).toBe(false);
    if (settled.ok) return;
    expect(settled.error.code).toBe("RUN_TIMED_OUT");
    expect(settled.error.message).toContain("stopped after 15 s");
    expect(settled.error.message).toMatch(/^The run was stopped after 15 s of real time because /);
    expect(settled.error.message).not.toContain("RUN_TIMED_OUT");
    expect(workers[0].isTerminated).toBe(true);
  });

  it("starts a fresh worker after a timeout", async () => {
    const { client, workers, timers } = setup();
    void client.run(scenario);
    timers[0].callback();
    const next = client.run(scenario);
    expect(workers).toHaveLength(2);
    workers[1].reply(workers[1].posted[0].runId, result);
    await expect(next).resolves.toEqual({ ok: true, result });
  });

  it("cancels the run in flight when a new one starts", async () => {
    const { client, workers } = setup();
    const first = client.run(scenario);
    const second = client.run(scenario);
    const settled = await first;
    expect(settled.ok).toBe(false);
    if (!settled.ok) expect(settled.error.code).toBe("RUN_CANCELLED");
    expect(workers[0].isTerminated).toBe(true);
    workers[1].reply(workers[1].posted[0].runId, result);
    await expect(second).resolves.toEqual({ ok: true, result });
  });

  it("ignores a reply for an earlier run id", async () => {
    const { client, workers } = setup();
    const outcome = client.run(scenario);
    const runId = workers[0].posted[0].runId;
    workers[0].reply(runId + 100, result);
    workers[0].reply(runId, { ...result, endTime: 7 });
    const settled = await outcome;
    expect(settled.ok && settled.result.endTime).toBe(7);
  });

  it("reports a crashed worker as data", async () => {
    const { client, workers } = setup();
    const outcome = client.run(scenario);
    workers[0].onerror?.({ message: "boom" } as ErrorEvent);
    const settled = await outcome;
    expect(settled.ok).toBe(false);
    if (!settled.ok) {
      expect(settled.error.code).toBe("WORKER_FAILED");
      expect(settled.error.message).toContain("boom");
    }
  });
});
