import { describe, expect, it } from "vitest";
import { runScenario } from "../run";
import {
  formatBlockCheck,
  formatSummary,
  ignoredParts,
  runBlockCheck,
  type BlockCheck,
} from "./checkRun";
import { parseTestFile } from "./parseTestFile";

const FILE = `use Test::Nginx::Socket::Lua 'no_plan';
run_tests();

__DATA__

=== TEST 1: say hello
--- config
    location = /t {
        content_by_lua_block {
            ngx.say("hello")
            ngx.log(ngx.INFO, "quiet note")
            ngx.log(ngx.ERR, "loud note")
        }
    }
--- request
GET /t
--- response_body
hello
--- error_log
quiet note
loud note, client: 127.0.0.1
--- grep_error_log eval
qr/\\w+ note/
--- grep_error_log_out
quiet note
loud note

=== TEST 2: wrong body and status
--- config
    location = /t {
        content_by_lua_block {
            ngx.status = 404
            ngx.say("hello world")
        }
    }
--- request
GET /t
--- response_body
hello there
--- no_error_log
[error]
--- response_body_json_sort
`;

async function checkAll(): Promise<BlockCheck[]> {
  const blocks = parseTestFile(FILE);
  const checks: BlockCheck[] = [];
  for (const block of blocks) {
    checks.push(await runBlockCheck(block, runScenario, FILE));
  }
  return checks;
}

describe("runBlockCheck", () => {
  it("passes a block whose expectations hold in the engine", async () => {
    const [first] = await checkAll();
    expect(first.results.filter((result) => !result.passed)).toEqual([]);
    expect(first.passed).toBe(true);
  });

  it("fails a block and formats each failed section", async () => {
    const [, second] = await checkAll();
    expect(second.passed).toBe(false);
    const lines = formatBlockCheck(second);
    expect(lines[0]).toBe("not ok 2 - wrong body and status");
    expect(lines).toContain("#   error_code: status is 404, expected 200");
    expect(lines).toContain("#   response_body: body differs from the expected text");
    expect(lines).toContain("#     -hello there");
    expect(lines).toContain("#     +hello world");
    expect(lines.at(-1)).toBe(
      '#   note: section "--- response_body_json_sort" is not supported and was ignored',
    );
  });

  it("sums up as N passed, M failed", async () => {
    expect(formatSummary(await checkAll())).toBe("1 passed, 1 failed");
  });
});

describe("ignoredParts", () => {
  it("accepts eval and chop on checked sections only", () => {
    const [block] = parseTestFile(
      "=== TEST 1: t\n--- request eval\nGET /t\n--- response_body_like chop\nx\n",
    );
    expect(ignoredParts(block)).toEqual(['filter "eval" of "--- request" is not supported']);
  });
});
