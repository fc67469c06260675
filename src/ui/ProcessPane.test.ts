import { describe, expect, it } from "vitest";
import { runScenario } from "../engine/run";
import { SCENARIO_DEFAULTS } from "../engine/scenario";
import { processRows } from "./ProcessPane";

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
