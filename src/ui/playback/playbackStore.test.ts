import { describe, expect, it } from "vitest";
import type { TraceEvent } from "../../engine/trace/events";
import { createPlaybackStore } from "./playbackStore";

const trace: TraceEvent[] = [0, 1, 2].map((seq) => ({
  seq,
  kind: "log",
  time: seq,
  pid: 1,
  level: "notice",
  message: `m${seq}`,
}));

function loaded() {
  const store = createPlaybackStore();
  store.getState().load(trace);
  return store;
}

describe("playback store", () => {
  it("starts before the first event", () => {
    expect(loaded().getState().index).toBe(-1);
  });

  it("steps forward and back to the same index", () => {
    const store = loaded();
    store.getState().stepForward();
    store.getState().stepForward();
    expect(store.getState().index).toBe(1);
    store.getState().stepBack();
    expect(store.getState().index).toBe(0);
  });

  it("clamps steps at both ends", () => {
    const store = loaded();
    store.getState().stepBack();
    expect(store.getState().index).toBe(-1);
    store.getState().seek(99);
    expect(store.getState().index).toBe(2);
    store.getState().stepForward();
    expect(store.getState().index).toBe(2);
  });

  it("stops playing at the last event", () => {
    const store = loaded();
    store.getState().play();
    store.getState().tick();
    store.getState().tick();
    expect(store.getState().isPlaying).toBe(true);
    store.getState().tick();
    expect(store.getState().index).toBe(2);
    expect(store.getState().isPlaying).toBe(false);
  });

  it("replays from the start after the end", () => {
    const store = loaded();
    store.getState().seek(2);
    store.getState().play();
    expect(store.getState().index).toBe(-1);
    expect(store.getState().isPlaying).toBe(true);
  });

  it("stops playing when the user seeks", () => {
    const store = loaded();
    store.getState().play();
    store.getState().seek(1);
    expect(store.getState().isPlaying).toBe(false);
  });

  it("accepts only the offered speeds", () => {
    const store = loaded();
    store.getState().setSpeed(4);
    expect(store.getState().speed).toBe(4);
    store.getState().setSpeed(3);
    expect(store.getState().speed).toBe(4);
  });

  it("resets the cursor for a new trace", () => {
    const store = loaded();
    store.getState().seek(2);
    store.getState().load([...trace]);
    expect(store.getState().index).toBe(-1);
  });
});
