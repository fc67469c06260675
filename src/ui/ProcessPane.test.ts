import { describe, expect, it } from "vitest";
import { runScenario } from "../engine/run";
import { SCENARIO_DEFAULTS } from "../engine/scenario";
import type { TraceEvent } from "../engine/trace/events";
import { describeProcessState, processRows, processStatesAt } from "./ProcessPane";

describe("process rows", () => {
  it("lists master, workers and agent with what they served", () => {
    const result = runScenario({
      ...SCENARIO_DEFAULTS,
      files: {},
      nginxConf: `worker_processes 2;
events { worker_connections 1024; }
http {
    init_by_lua_block { require("ngx.process").enable_privileged_agent() }
    server { listen 8080; location / { content_by_lua_block { ngx.say("hi") } } }
}
`,
      steps: [
        { step: "request", request: { method: "GET", uri: "/", headers: [], body: null, parallel: 3 } },
        { step: "kill-worker" },
      ],
    });
    const rows = processRows(result.trace);
    expect(rows.map((r) => r.kind)).toEqual([
      "master",
      "worker",
      "worker",
      "privileged agent",
      "worker",
    ]);
    expect(rows[1].requestsServed + rows[2].requestsServed).toBe(3);
    expect(rows[3].requestsServed).toBe(0);
    expect(rows.filter((r) => r.exit === "killed")).toHaveLength(1);
    expect(rows[4].workerId).not.toBeNull();
  });
});

describe("process states at an event", () => {
  const result = runScenario({
    ...SCENARIO_DEFAULTS,
    files: {},
    nginxConf: `worker_processes 1;
events { worker_connections 1024; }
http {
    server {
        listen 8080;
        location / { content_by_lua_block { ngx.sleep(0.01) ngx.say("hi") } }
    }
}
`,
    steps: [
      { step: "request", request: { method: "GET", uri: "/", headers: [], body: null, parallel: 2 } },
      { step: "reload" },
      { step: "kill-worker" },
    ],
  });
  const trace = result.trace;
  const indexOf = (match: (event: TraceEvent) => boolean) => {
    const index = trace.findIndex(match);
    expect(index).toBeGreaterThanOrEqual(0);
    return index;
  };
  const stateOf = (index: number, pid: number) => {
    const state = processStatesAt(trace, index).find((s) => s.row.pid === pid);
    expect(state).toBeDefined();
    return state!;
  };
  const firstWorker = trace.find(
    (event) => event.kind === "process-start" && event.process === "worker",
  )!.pid;

  it("lists later processes as not started yet", () => {
    const states = processStatesAt(trace, 0);
    expect(states[0].row.kind).toBe("master");
    expect(describeProcessState(states[0])).toBe("idle");
    expect(states.slice(1).map((s) => s.activity.kind)).toEqual(
      states.slice(1).map(() => "not-started"),
    );
    expect(describeProcessState(states[1])).toBe("not started yet");
  });

  it("shows the request and phase that runs", () => {
    const index = indexOf((e) => e.kind === "phase-start" && e.connection === 1);
    const state = stateOf(index, firstWorker);
    expect(describeProcessState(state)).toBe("running request *1 (content)");
    expect(state.row.requestsServed).toBe(1);
    expect(state.row.workerId).toBe(0);
  });

  it("shows yielded requests as waiting", () => {
    const index = indexOf((e) => e.kind === "yield" && e.connection === 2);
    const state = stateOf(index, firstWorker);
    expect(state.activity.kind).toBe("waiting");
    expect(describeProcessState(state)).toBe(
      "idle, waiting on request *1 (content), request *2 (content)",
    );
    expect(state.row.requestsServed).toBe(2);
  });

  it("shows idle once requests end", () => {
    const index = indexOf((e) => e.kind === "request-end" && e.connection === 2);
    expect(describeProcessState(stateOf(index, firstWorker))).toBe("idle");
  });

  it("marks old workers exiting after reload", () => {
    const reload = indexOf((e) => e.kind === "signal" && e.signal === "reload");
    expect(describeProcessState(stateOf(reload, firstWorker))).toBe("exiting");
    const master = processStatesAt(trace, reload)[0];
    expect(master.isExiting).toBe(false);
    const exit = indexOf((e) => e.kind === "process-exit" && e.pid === firstWorker);
    expect(describeProcessState(stateOf(exit, firstWorker))).toBe("exited with code 0");
    expect(stateOf(exit - 1, firstWorker).activity.kind).not.toBe("exited");
  });

  it("shows a killed worker and its replacement", () => {
    const kill = indexOf((e) => e.kind === "signal" && e.signal === "kill");
    const killed = trace[kill].pid;
    const exit = indexOf((e) => e.kind === "process-exit" && e.pid === killed);
    expect(describeProcessState(stateOf(exit, killed))).toBe("killed (SIGKILL)");
    const respawned = trace.slice(exit).find((e) => e.kind === "process-start");
    expect(respawned).toBeDefined();
    expect(stateOf(exit, respawned!.pid).activity.kind).toBe("not-started");
    expect(stateOf(trace.length - 1, respawned!.pid).activity.kind).toBe("idle");
  });

  it("gives the end state for the last event", () => {
    const end = processStatesAt(trace, trace.length - 1).map((s) => s.row);
    expect(end).toEqual(processRows(trace));
    expect(end.find((row) => row.pid === firstWorker)?.exit).toBe(0);
  });
});

describe("process state after race findings", () => {
  it("stays idle past a finding at the trace end", () => {
    const result = runScenario({
      ...SCENARIO_DEFAULTS,
      files: {},
      nginxConf: `events { worker_connections 1024; }
http {
    lua_shared_dict d 1m;
    server { listen 8080; location / { content_by_lua_block {
        local n = ngx.shared.d:get("n") or 0
        ngx.sleep(0.001)
        ngx.shared.d:set("n", n + 1)
    } } }
}
`,
      steps: [{ step: "request", request: { method: "GET", uri: "/", headers: [], body: null, parallel: 2 } }],
    });
    const last = result.trace.length - 1;
    expect(result.trace[last].kind).toBe("race");
    const worker = processStatesAt(result.trace, last).find((s) => s.row.kind === "worker")!;
    expect(describeProcessState(worker)).toBe("idle");
  });
});
