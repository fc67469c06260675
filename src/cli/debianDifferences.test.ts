import { describe, expect, it } from "vitest";
import type { GoldenRecord } from "../engine/testnginx/record";
import { translateDebianRecord } from "./debianDifferences";

const SLEEP_WARNING =
  "[warn] ngx.sleep(0) called without delayed events patch, " +
  "this will hurt performance";

function record(body: string, errorLog: string[]): GoldenRecord {
  return {
    test: 1,
    title: "t",
    requests: [],
    responses: [
      {
        status: 404,
        status_line: "HTTP/1.1 404 Not Found",
        headers: {},
        body,
        empty_reply: false,
        timed_out: false,
      },
    ],
    error_log: errorLog,
    startup_error: null,
    nginx_conf: "",
  };
}

const PAGE = (footer: string) =>
  "<html>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n" +
  `<hr><center>${footer}</center>\r\n</body>\r\n</html>\r\n`;

describe("translateDebianRecord", () => {
  it("rewrites the error-page footer", () => {
    const { record: out, applied } = translateDebianRecord(
      record(PAGE("nginx/1.22.1"), []),
    );
    expect(out.responses[0].body).toBe(PAGE("openresty/1.27.1.2"));
    expect(applied).toEqual(["error-page-footer"]);
  });

  it("keeps a footer of another version", () => {
    const { record: out, applied } = translateDebianRecord(
      record(PAGE("nginx/1.22.2"), []),
    );
    expect(out.responses[0].body).toBe(PAGE("nginx/1.22.2"));
    expect(applied).toEqual([]);
  });

  it("drops only the exact ngx.sleep(0) warning", () => {
    const other = "[warn] ngx.sleep(0) called without delayed events patch";
    const { record: out, applied } = translateDebianRecord(
      record("", ["[notice] before", SLEEP_WARNING, other]),
    );
    expect(out.error_log).toEqual(["[notice] before", other]);
    expect(applied).toEqual(["sleep-zero-warning"]);
  });

  it("leaves the input record unchanged", () => {
    const input = record(PAGE("nginx/1.22.1"), [SLEEP_WARNING]);
    translateDebianRecord(input);
    expect(input.responses[0].body).toBe(PAGE("nginx/1.22.1"));
    expect(input.error_log).toEqual([SLEEP_WARNING]);
  });
});
