import { describe, expect, it } from "vitest";
import { checkBlock, isPassing, type ExpectationResult } from "./expectations";
import { parseTestFile } from "./parseTestFile";
import type { GoldenRecord, GoldenResponse } from "./record";

function response(body: string, extra: Partial<GoldenResponse> = {}): GoldenResponse {
  return {
    status: 200,
    status_line: "HTTP/1.1 200 OK",
    headers: { "content-type": "text/plain", "x-multi": ["a", "b"] },
    body,
    empty_reply: false,
    timed_out: false,
    ...extra,
  };
}

function record(partial: Partial<GoldenRecord>): GoldenRecord {
  return {
    test: 1,
    title: "t",
    requests: [],
    responses: [response("hello\n")],
    error_log: [
      "[notice] [lua] content_by_lua(nginx.conf:10):2: hello from lua",
      "[error] failed to frob: bad input\nstack traceback:\n\tin function 'x'",
    ],
    startup_error: null,
    nginx_conf: "",
    ...partial,
  };
}

/** Checks the sections written after a minimal block header. */
function check(sections: string, run: Partial<GoldenRecord> = {}): ExpectationResult[] {
  const text = `=== TEST 1: t\n--- config\n--- request\nGET /t\n${sections}\n`;
  const [block] = parseTestFile(text);
  return checkBlock(block, record(run), { fileText: text });
}

function failed(results: ExpectationResult[]): string[] {
  return results.filter((result) => !result.passed).map((result) => result.section);
}

describe("checkBlock response_body", () => {
  it("passes an exact body with its final newline", () => {
    expect(failed(check("--- response_body\nhello"))).toEqual([]);
  });

  it("fails a different body and keeps both texts", () => {
    const results = check("--- response_body\nhellO");
    const body = results.find((result) => result.section === "response_body")!;
    expect(body.passed).toBe(false);
    expect(body.expected).toBe("hellO\n");
    expect(body.actual).toBe("hello\n");
    expect(body.isTextual).toBe(true);
  });

  it("applies chomp, so a body without newline passes", () => {
    const run = { responses: [response("hello")] };
    expect(failed(check("--- response_body chomp\nhello", run))).toEqual([]);
    expect(failed(check("--- response_body\nhello", run))).toEqual(["response_body"]);
  });

  it("evaluates a Perl string", () => {
    expect(failed(check('--- response_body eval\n"hel" . "lo\\n"'))).toEqual([]);
    expect(failed(check('--- response_body eval\n"hello"'))).toEqual(["response_body"]);
  });

  it("checks one array value per response", () => {
    const run = { responses: [response("a\n"), response("b\n")] };
    expect(failed(check('--- response_body eval\n["a\\n", "b\\n"]', run))).toEqual([]);
    const results = check('--- response_body eval\n["a\\n", "c\\n"]', run);
    expect(failed(results)).toEqual(["response_body"]);
    expect(results.find((result) => !result.passed)!.response).toBe(2);
  });

  it("fails an array whose length differs from the responses", () => {
    const results = check('--- response_body eval\n["a\\n", "b\\n"]');
    expect(failed(results)).toEqual(["response_body"]);
    expect(results[1].message).toContain("2 values for 1 responses");
  });

  it("reports an eval it cannot read", () => {
    const results = check('--- response_body eval\n"port $ServerPort"');
    expect(failed(results)).toEqual(["response_body"]);
    expect(results[1].message).toContain("$ServerPort");
  });
});

describe("checkBlock response_body_like", () => {
  it("matches a multi-line section with /s", () => {
    expect(failed(check("--- response_body_like\n^h.llo$"))).toEqual([]);
    const run = { responses: [response("a\nb\n")] };
    expect(failed(check("--- response_body_like chop\na.b", run))).toEqual([]);
  });

  it("matches an inline pattern without a newline", () => {
    expect(failed(check("--- response_body_like: ell"))).toEqual([]);
    expect(failed(check("--- response_body_like: ^bye"))).toEqual(["response_body_like"]);
  });

  it("honours the flags of an eval qr//", () => {
    expect(failed(check("--- response_body_like eval\nqr/HELLO/i"))).toEqual([]);
    expect(failed(check("--- response_body_like eval\nqr/HELLO/"))).toEqual([
      "response_body_like",
    ]);
  });

  it("reports an unsupported construct", () => {
    const results = check("--- response_body_like: a++");
    expect(failed(results)).toEqual(["response_body_like"]);
    expect(results[1].message).toContain("possessive");
  });

  it("fails response_body_unlike on a match", () => {
    expect(failed(check("--- response_body_unlike: hello"))).toEqual(["response_body_unlike"]);
    expect(failed(check("--- response_body_unlike: bye"))).toEqual([]);
  });
});

describe("checkBlock error_code", () => {
  it("expects 200 when the block has no error_code", () => {
    expect(failed(check(""))).toEqual([]);
    const run = { responses: [response("", { status: 500 })] };
    const results = check("", run);
    expect(failed(results)).toEqual(["error_code"]);
    expect(results[0].message).toBe("status is 500, expected 200");
  });

  it("compares an inline status", () => {
    const run = { responses: [response("", { status: 404 })] };
    expect(failed(check("--- error_code: 404", run))).toEqual([]);
    expect(failed(check("--- error_code: 403", run))).toEqual(["error_code"]);
  });

  it("treats an empty value as no response", () => {
    const run = { responses: [response("", { status: null, empty_reply: true })] };
    expect(failed(check("--- error_code:", run))).toEqual([]);
    expect(failed(check("", run))).toEqual(["error_code"]);
  });

  it("reads one status per request from eval", () => {
    const run = {
      responses: [response(""), response("", { status: 404 })],
    };
    expect(failed(check("--- error_code eval\n[200, 404]", run))).toEqual([]);
    expect(failed(check("--- error_code eval\n[200, 200]", run))).toEqual(["error_code"]);
  });

  it("matches error_code_like", () => {
    const run = { responses: [response("", { status: 502 })] };
    expect(failed(check("--- error_code_like: ^5\\d\\d$", run))).toEqual([]);
    expect(failed(check("--- error_code_like: ^4", run))).toEqual(["error_code_like"]);
  });
});

describe("checkBlock response_headers", () => {
  it("compares values case-insensitively by name", () => {
    expect(failed(check("--- response_headers\nContent-Type: text/plain"))).toEqual([]);
    const results = check("--- response_headers\nContent-Type: text/html");
    expect(failed(results)).toEqual(["response_headers Content-Type"]);
    expect(results[1].message).toBe('Content-Type is "text/plain", expected "text/html"');
  });

  it("checks !Name for absence", () => {
    expect(failed(check("--- response_headers\n!X-Foo"))).toEqual([]);
    expect(failed(check("--- response_headers\n!Content-Type"))).toEqual([
      "response_headers Content-Type",
    ]);
  });

  it("joins a repeated header with a comma", () => {
    expect(failed(check("--- response_headers\nX-Multi: a, b"))).toEqual([]);
  });

  it("treats a missing header as empty", () => {
    expect(failed(check("--- response_headers\nX-Foo:"))).toEqual([]);
    expect(failed(check("--- response_headers\nX-Foo: 1"))).toEqual(["response_headers X-Foo"]);
  });

  it("says that Server is not recorded", () => {
    const results = check("--- response_headers\nServer: openresty");
    expect(failed(results)).toEqual(["response_headers Server"]);
    expect(results[1].message).toContain("records leave it out");
  });

  it("anchors response_headers_like patterns", () => {
    expect(failed(check("--- response_headers_like\nContent-Type: text/.*"))).toEqual([]);
    expect(failed(check("--- response_headers_like\nContent-Type: text"))).toEqual([
      "response_headers_like Content-Type",
    ]);
  });
});

describe("checkBlock error_log", () => {
  it("finds each line as a substring", () => {
    const sections = "--- error_log\nhello from lua\n[error] failed to frob";
    expect(failed(check(sections))).toEqual([]);
  });

  it("fails a pattern that matches no line", () => {
    const results = check("--- error_log\nhello from lua\nnot there");
    expect(failed(results)).toEqual(["error_log"]);
    expect(results[2].message).toBe('"not there" matches no line of the error log (4 lines)');
  });

  it("matches eval qr// against single lines", () => {
    expect(failed(check("--- error_log eval\nqr/frob: \\w+ input$/"))).toEqual([]);
    expect(failed(check("--- error_log eval\nqr/frob.*traceback/s"))).toEqual(["error_log"]);
    const list = '--- error_log eval\n["hello", qr/^\\tin function/]';
    expect(failed(check(list))).toEqual([]);
  });

  it("uses the log lines passed in place of the record's", () => {
    const text = "=== TEST 1: t\n--- request\nGET /t\n--- error_log\n[info] quiet\n";
    const [block] = parseTestFile(text);
    const results = checkBlock(block, record({}), {
      fileText: text,
      logLines: ["[info] quiet line"],
    });
    expect(isPassing(results)).toBe(true);
  });
});

describe("checkBlock no_error_log", () => {
  it("passes when no line matches", () => {
    expect(failed(check("--- no_error_log\n[alert]\n[crit]"))).toEqual([]);
  });

  it("fails and shows the matching line", () => {
    const results = check("--- no_error_log\n[error]");
    expect(failed(results)).toEqual(["no_error_log"]);
    expect(results[1].actual).toBe("[error] failed to frob: bad input");
  });
});

describe("checkBlock grep_error_log", () => {
  it("joins the first match of each line with newlines", () => {
    const sections =
      "--- grep_error_log eval\nqr/hello|frob/\n--- grep_error_log_out\nhello\nfrob";
    expect(failed(check(sections))).toEqual([]);
  });

  it("fails with a diff when the matches differ", () => {
    const sections = "--- grep_error_log chop\nfrob\n--- grep_error_log_out\nfrob\nfrob";
    const results = check(sections);
    expect(failed(results)).toEqual(["grep_error_log_out"]);
    expect(results[1].actual).toBe("frob\n");
    expect(results[1].expected).toBe("frob\nfrob\n");
  });

  it("hints at chop when the pattern keeps its newline", () => {
    const results = check("--- grep_error_log\nfrob\n--- grep_error_log_out\nfrob");
    expect(results[1].message).toContain('add "chop"');
  });

  it("needs both sections", () => {
    const results = check("--- grep_error_log chop\nfrob");
    expect(failed(results)).toEqual(["grep_error_log"]);
    expect(results[1].message).toContain("grep_error_log_out");
  });
});

describe("checkBlock startup", () => {
  it("fails a block whose nginx did not start", () => {
    const results = check("--- response_body\nhello", {
      startup_error: 'unknown directive "x" in $PREFIX/conf/nginx.conf:20',
      responses: [],
    });
    expect(results).toHaveLength(1);
    expect(results[0].section).toBe("startup");
    expect(results[0].passed).toBe(false);
  });
});
