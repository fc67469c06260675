import { describe, expect, it } from "vitest";
import type { ErrorLogEntry } from "../../engine/scenario";
import { formatErrorLogLine, formatLogTime } from "./errorLogLine";

const start = Date.UTC(2026, 0, 1, 12, 0, 0);

describe("formatErrorLogLine", () => {
  it("formats a request entry as nginx does", () => {
    const entry: ErrorLogEntry = {
      level: "notice",
      message: "[lua] content_by_lua(nginx.conf:12):2: hi",
      time: 1500,
      pid: 1001,
      connection: 1,
      trailer:
        ', client: 127.0.0.1, server: localhost, request: "GET /t HTTP/1.1", host: "localhost"',
    };
    expect(formatErrorLogLine(entry, start)).toBe(
      "2026/01/01 12:00:01 [notice] 1001#1001: *1 [lua] content_by_lua(nginx.conf:12):2: hi, " +
        'client: 127.0.0.1, server: localhost, request: "GET /t HTTP/1.1", host: "localhost"',
    );
  });

  it("leaves out *N without a connection", () => {
    const entry: ErrorLogEntry = {
      level: "warn",
      message: "started",
      time: 0,
      pid: 1000,
      connection: null,
      trailer: "",
    };
    expect(formatErrorLogLine(entry, start)).toBe(
      "2026/01/01 12:00:00 [warn] 1000#1000: started",
    );
  });
});

describe("formatLogTime", () => {
  it("uses UTC and zero-pads every field", () => {
    expect(formatLogTime(Date.UTC(2026, 2, 4, 5, 6, 7, 999))).toBe(
      "2026/03/04 05:06:07",
    );
  });
});
