import { describe, expect, it } from "vitest";
import { runScenario } from "../engine/run";
import { runTestFileText } from "./sim";

const FILE = `=== TEST 1: get, sleep, set from two requests
--- http_config
lua_shared_dict d 1m;
--- config
location = /t {
    content_by_lua_block {
        local v = ngx.shared.d:get("n") or 0
        ngx.sleep(0.01)
        ngx.shared.d:set("n", v + 1)
        ngx.say("ok")
    }
}
--- request
GET /t
--- concurrency 2

=== TEST 2: incr
--- http_config
lua_shared_dict d 1m;
--- config
location = /t {
    content_by_lua_block { ngx.sleep(0.01) ngx.say(ngx.shared.d:incr("n", 1, 0)) }
}
--- request
GET /t
--- concurrency 2
`;

describe("sim --races", () => {
  it("adds a lost update to the racy block only", async () => {
    const records = await runTestFileText(FILE, runScenario, null, true);
    const lost = records[0].races?.filter((r) => r.kind === "lost update") ?? [];
    expect(lost).toHaveLength(1);
    expect(lost[0].key).toBe("n");
    expect(lost[0].actors).toHaveLength(2);
    expect(lost[0].read.source).toBe("content_by_lua(nginx.conf:27):2");
    expect(records[1].races).toEqual([]);
  });

  it("leaves records unchanged without the flag", async () => {
    const records = await runTestFileText(FILE, runScenario, 1);
    expect(records[0].races).toBeUndefined();
  });
});
