import { describe, expect, it } from "vitest";
import type { TraceEvent, TraceEventInput } from "../../engine/trace/events";
import { activeRange, buildTimelineModel, phasesShown } from "./timelineModel";

function trace(inputs: TraceEventInput[]): TraceEvent[] {
  return inputs.map((input, seq) => ({ ...input, seq }) as TraceEvent);
}

const sample = trace([
  { kind: "process-start", time: 0, pid: 1000, process: "master", workerId: null },
  { kind: "process-start", time: 0, pid: 1001, process: "worker", workerId: 0 },
  { kind: "request-start", time: 1, pid: 1001, connection: 1, method: "GET", uri: "/t" },
  { kind: "phase-start", time: 1, pid: 1001, connection: 1, phase: "content" },
  { kind: "yield", time: 2, pid: 1001, connection: 1, phase: "content", reason: "sleep" },
  { kind: "phase-start", time: 2, pid: 1001, connection: 2, phase: "rewrite" },
  { kind: "resume", time: 3, pid: 1001, connection: 1, phase: "content" },
  { kind: "phase-end", time: 4, pid: 1001, connection: 1, phase: "content", result: "ok" },
  { kind: "cached-time-update", time: 5, pid: 1001, cachedTime: 5, cause: "event-loop" },
]);

describe("buildTimelineModel", () => {
  it("makes one lane per process with its label", () => {
    const model = buildTimelineModel(sample, 10);
    expect(model.lanes.map((lane) => lane.label)).toEqual([
      "master (1000)",
      "worker 0 (1001)",
    ]);
  });

  it("makes one row per connection plus a process row", () => {
    const worker = buildTimelineModel(sample, 10).lanes[1];
    expect(worker.rows.map((row) => row.connection)).toEqual([null, 1, 2]);
    expect(worker.rows[1].label).toBe("*1 GET /t");
  });

  it("pairs phase start and end into a span", () => {
    const row = buildTimelineModel(sample, 10).lanes[1].rows[1];
    expect(row.spans).toHaveLength(1);
    expect(row.spans[0].start.time).toBe(1);
    expect(row.spans[0].end?.time).toBe(4);
  });

  it("leaves an unfinished phase open", () => {
    const row = buildTimelineModel(sample, 10).lanes[1].rows[2];
    expect(row.spans[0].end).toBeNull();
  });

  it("links a yield to its resume", () => {
    const row = buildTimelineModel(sample, 10).lanes[1].rows[1];
    expect(row.links).toHaveLength(1);
    expect(row.links[0].from.kind).toBe("yield");
    expect(row.links[0].to.time).toBe(3);
  });

  it("puts cached-time updates on the process row", () => {
    const row = buildTimelineModel(sample, 10).lanes[1].rows[0];
    expect(row.markers.map((event) => event.kind)).toEqual(["cached-time-update"]);
  });

  it("fits the active range around the events", () => {
    const range = buildTimelineModel(sample, 300).activeRange;
    expect(range.start).toBeLessThanOrEqual(1);
    expect(range.end).toBeGreaterThanOrEqual(5);
    expect(range.end).toBeLessThan(300);
  });

  it("lists the phases shown", () => {
    expect(phasesShown(buildTimelineModel(sample, 10))).toEqual(["content", "rewrite"]);
  });
});

describe("buildTimelineModel nesting", () => {
  it("gives a phase inside content depth 1", () => {
    const nested = trace([
      { kind: "phase-start", time: 0, pid: 1, connection: 1, phase: "content" },
      { kind: "phase-start", time: 1, pid: 1, connection: 1, phase: "body_filter" },
      { kind: "phase-end", time: 2, pid: 1, connection: 1, phase: "body_filter", result: "ok" },
      { kind: "phase-end", time: 3, pid: 1, connection: 1, phase: "content", result: "ok" },
    ]);
    const spans = buildTimelineModel(nested, 5).lanes[0].rows[0].spans;
    expect(spans.map((span) => span.depth)).toEqual([0, 1]);
    expect(spans[0].end?.time).toBe(3);
  });
});

describe("buildTimelineModel on big traces", () => {
  it("handles a million events", () => {
    const events: TraceEvent[] = [];
    for (let seq = 0; seq < 1_000_000; seq++) {
      events.push({
        kind: "response-body",
        seq,
        time: 300 + seq * 1e-7,
        pid: 1001,
        connection: 1,
        bytes: 7,
        isLast: false,
      });
    }
    const model = buildTimelineModel(events, 600);
    expect(model.eventCount).toBe(1_000_000);
    expect(model.lanes[0].rows[0].markers).toHaveLength(1_000_000);
    expect(model.activeRange.start).toBeLessThanOrEqual(300);
    expect(model.activeRange.end).toBeGreaterThanOrEqual(300.0999);
  });
});

describe("activeRange", () => {
  it("frames events 0.1 µs apart tightly", () => {
    const close = trace([
      { kind: "process-start", time: 0, pid: 1, process: "worker", workerId: 0 },
      { kind: "request-start", time: 300, pid: 1, connection: 1, method: "GET", uri: "/t" },
      { kind: "request-end", time: 300.0001, pid: 1, connection: 1, status: 200, outcome: "complete" },
    ]);
    const range = activeRange(close, 600);
    expect(range.start).toBeLessThanOrEqual(300);
    expect(range.start).toBeGreaterThan(300 - 0.00001);
    expect(range.end).toBeGreaterThanOrEqual(300.0001);
    expect(range.end).toBeLessThan(300.0001 + 0.00001);
  });

  it("covers the whole run without events", () => {
    expect(activeRange([], 40)).toEqual({ start: 0, end: 40 });
  });
});

describe("timer rows", () => {
  it("gives each timer callback a row with its timer span", async () => {
    const { runScenario } = await import("../../engine/run");
    const { SCENARIO_DEFAULTS } = await import("../../engine/scenario");
    const result = runScenario({
      ...SCENARIO_DEFAULTS,
      files: {},
      nginxConf: `events { worker_connections 1024; }
http { server { listen 8080; location = /t { content_by_lua_block {
    ngx.timer.at(0.01, function() ngx.sleep(0.01) end)
    ngx.say("ok")
} } } }
`,
      steps: [{ step: "request", request: { method: "GET", uri: "/t", headers: [], body: null, parallel: 1 } }],
    });
    const model = buildTimelineModel(result.trace, result.endTime);
    const worker = model.lanes.find((lane) => lane.label.startsWith("worker 0"));
    const timerRow = worker?.rows.find((row) => row.label === "timer 1");
    expect(timerRow).toBeDefined();
    expect(timerRow?.spans.map((span) => span.phase)).toEqual(["timer"]);
    expect(timerRow?.links).toHaveLength(1);
  });
});

describe("light thread and subrequest rows", () => {
  async function run(content: string) {
    const { runScenario } = await import("../../engine/run");
    const { SCENARIO_DEFAULTS } = await import("../../engine/scenario");
    const result = runScenario({
      ...SCENARIO_DEFAULTS,
      files: {},
      nginxConf: `events { worker_connections 1024; }
http { server { listen 8080;
    location = /sub { content_by_lua_block { ngx.sleep(0.002) ngx.print("s") } }
    location = /t { content_by_lua_block {
${content}
} } } }
`,
      steps: [{ step: "request", request: { method: "GET", uri: "/t", headers: [], body: null, parallel: 1 } }],
    });
    const model = buildTimelineModel(result.trace, result.endTime);
    return model.lanes.find((lane) => lane.label.startsWith("worker 0"))!;
  }

  it("gives each light thread a row under its request, spawn to end", async () => {
    const worker = await run(`
    local function work(n) ngx.sleep(0.001 * n) return n end
    local a = ngx.thread.spawn(work, 1)
    local b = ngx.thread.spawn(work, 2)
    ngx.thread.wait(a, b)
    ngx.say("done")`);
    const labels = worker.rows.map((row) => row.label);
    const threadRows = worker.rows.filter((row) => row.label.includes("light thread"));
    expect(threadRows).toHaveLength(2);
    expect(labels.indexOf(threadRows[0].label)).toBe(labels.indexOf("*1 GET /t") + 1);
    for (const row of threadRows) {
      expect(row.spans.map((span) => span.phase)).toEqual(["light thread"]);
      expect(row.spans[0].end?.kind).toBe("thread-exit");
      // Each thread's own sleep yields and resumes on its own row.
      expect(row.links).toHaveLength(1);
    }
    const main = worker.rows.find((row) => row.label === "*1 GET /t")!;
    expect(main.markers.filter((event) => event.kind === "thread-spawn")).toHaveLength(2);
  });

  it("marks a killed light thread as killed", async () => {
    const worker = await run(`
    local t = ngx.thread.spawn(function() ngx.sleep(1) end)
    ngx.thread.kill(t)
    ngx.say("done")`);
    const row = worker.rows.find((r) => r.label.includes("light thread"))!;
    const end = row.spans[0].end;
    expect(end?.kind).toBe("thread-exit");
    expect(end?.kind === "thread-exit" ? end.outcome : null).toBe("killed");
  });

  it("gives each captured subrequest a row with its own phases", async () => {
    const worker = await run(`
    local r1, r2 = ngx.location.capture_multi({ { "/sub" }, { "/sub", { args = "x=1" } } })
    ngx.say(r1.body, r2.body)`);
    const subRows = worker.rows.filter((row) => row.label.startsWith("*1 sr "));
    expect(subRows.map((row) => row.label)).toEqual(["*1 sr /sub", "*1 sr /sub?x=1"]);
    for (const row of subRows) {
      expect(row.spans.map((span) => span.phase)).toContain("content");
      expect(row.links).toHaveLength(1);
    }
    const main = worker.rows.find((row) => row.label === "*1 GET /t")!;
    expect(main.spans.filter((span) => span.phase === "content")).toHaveLength(1);
  });
});

describe("row order", () => {
  it("puts the process row first and timers after requests", () => {
    const trace: TraceEvent[] = [
      { kind: "timer-fired", seq: 0, time: 1, pid: 7, timerId: 2, premature: false },
      { kind: "cached-time-update", seq: 1, time: 1, pid: 7, cachedTime: 1, cause: "event-loop" },
      { kind: "timer-fired", seq: 2, time: 2, pid: 7, timerId: 1, premature: false },
      { kind: "request-start", seq: 3, time: 3, pid: 7, connection: 2, method: "GET", uri: "/b" },
      { kind: "request-start", seq: 4, time: 4, pid: 7, connection: 1, method: "GET", uri: "/a" },
    ];
    const [lane] = buildTimelineModel(trace, 10).lanes;
    expect(lane.rows.map((row) => row.label)).toEqual([
      "process",
      "*1 GET /a",
      "*2 GET /b",
      "timer 1",
      "timer 2",
    ]);
  });
});
