import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { PaneBoundary, PaneFailure } from "./PaneBoundary";

describe("PaneBoundary", () => {
  it("stores a thrown error as state", () => {
    const error = new RangeError("Maximum call stack size exceeded");
    expect(PaneBoundary.getDerivedStateFromError(error)).toEqual({ error });
  });

  it("wraps a thrown non-error value", () => {
    const state = PaneBoundary.getDerivedStateFromError("bad");
    expect(state.error?.message).toBe("bad");
  });

  it("renders its children without an error", () => {
    const html = renderToStaticMarkup(
      createElement(PaneBoundary, { title: "Timeline", children: "child text" }),
    );
    expect(html).toBe("child text");
  });

  it("failure shows the pane and the error", () => {
    const html = renderToStaticMarkup(
      createElement(PaneFailure, {
        title: "Timeline",
        error: new RangeError("Maximum call stack size exceeded"),
      }),
    );
    expect(html).toContain('data-testid="pane-error"');
    expect(html).toContain("The Timeline pane failed to draw");
    expect(html).toContain("RangeError: Maximum call stack size exceeded");
  });
});
