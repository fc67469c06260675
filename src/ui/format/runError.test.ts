import { describe, expect, it } from "vitest";
import { runErrorSentence } from "./runError";

describe("runErrorSentence", () => {
  it("capitalises and ends a lower-case message", () => {
    const sentence = runErrorSentence({
      code: "INVALID_REQUEST",
      message: 'invalid header on line 1: "x" (expected "Name: value")',
    });
    expect(sentence).toBe('Invalid header on line 1: "x" (expected "Name: value")');
  });

  it("adds a full stop", () => {
    const sentence = runErrorSentence({ code: "ENGINE_ERROR", message: "the engine failed" });
    expect(sentence).toBe("The engine failed.");
  });

  it("leaves the code out of the sentence", () => {
    const sentence = runErrorSentence({
      code: "RUN_TIMED_OUT",
      message: "The run was stopped after 15 s of real time.",
    });
    expect(sentence).not.toContain("RUN_TIMED_OUT");
    expect(sentence).toBe("The run was stopped after 15 s of real time.");
  });

  it("covers an empty message", () => {
    expect(runErrorSentence({ code: "X", message: " " })).toBe(
      "The run failed for an unknown reason.",
    );
  });
});
