import { describe, expect, it } from "vitest";
import { errorLogMarkers, startupErrorMarker } from "./sourceMarkers";

describe("startupErrorMarker", () => {
  it("marks the line nginx -t names", () => {
    const marker = startupErrorMarker(
      'nginx: [emerg] unknown directive "x" in nginx.conf:3\n' +
        "nginx: configuration file nginx.conf test failed",
      "nginx.conf",
    );
    expect(marker?.line).toBe(3);
    expect(marker?.message).toBe(
      'nginx: [emerg] unknown directive "x" in nginx.conf:3',
    );
  });

  it("maps an init_by_lua error to its config line", () => {
    const marker = startupErrorMarker(
      "nginx: [error] init_by_lua error: init_by_lua(nginx.conf:9):2: boom",
      "nginx.conf",
    );
    expect(marker?.line).toBe(10);
  });

  it("returns null without a line", () => {
    expect(startupErrorMarker("nginx: [emerg] no events", "nginx.conf")).toBeNull();
  });
});

describe("errorLogMarkers", () => {
  it("maps a Lua runtime error to config line N + M - 1", () => {
    const markers = errorLogMarkers(
      [
        {
          level: "error",
          message:
            "lua entry thread aborted: runtime error: " +
            "content_by_lua(nginx.conf:26):3: oops\nstack traceback:",
        },
      ],
      "nginx.conf",
    );
    expect(markers).toHaveLength(1);
    expect(markers[0].line).toBe(28);
    expect(markers[0].message).not.toContain("traceback");
  });

  it("skips notice lines from ngx.log", () => {
    const markers = errorLogMarkers(
      [{ level: "notice", message: "[lua] content_by_lua(nginx.conf:26):2: hi" }],
      "nginx.conf",
    );
    expect(markers).toEqual([]);
  });
});

describe("race markers", () => {
  it("marks the read and the write lines as warnings", async () => {
    const { raceMarkers } = await import("./sourceMarkers");
    const markers = raceMarkers(
      [
        {
          kind: "lost update",
          dict: "counters",
          key: "racy",
          readSource: { chunkName: "content_by_lua(nginx.conf:16)", line: 3 },
          writeSource: { chunkName: "content_by_lua(nginx.conf:16)", line: 5 },
          suggestion: "Use incr.",
        },
      ],
      "nginx.conf",
    );
    expect(markers.map((m) => m.line)).toEqual([18, 20]);
    expect(markers.every((m) => m.severity === "warning")).toBe(true);
    expect(markers[0].message).toContain('lost update on counters["racy"]');
  });
});

