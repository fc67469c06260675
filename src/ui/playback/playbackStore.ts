/**
 * The playback cursor over the last run's trace: which event is current,
 * whether it advances by itself and how fast. The timeline draws the
 * cursor, the editor highlights the cursor event's source line, and a
 * click in either moves it. Stepping back is exact because the cursor is
 * only an index into the recorded trace.
 */
import { createStore } from "zustand";
import type { TraceEvent } from "../../engine/trace/events";
import { resolveSources, type ResolvedSource } from "./eventSource";

/** The speeds offered, as multiples of BASE_EVENTS_PER_SECOND. */
export const PLAYBACK_SPEEDS = [0.25, 0.5, 1, 2, 4] as const;

/** Events per second of wall-clock time that Play shows at 1x. */
export const BASE_EVENTS_PER_SECOND = 4;

export interface PlaybackState {
  trace: readonly TraceEvent[];
  /** Each event's source position, indexed like the trace. */
  sources: ReadonlyArray<ResolvedSource | null>;
  /** Index of the current event in the trace; -1 before the first. */
  index: number;
  isPlaying: boolean;
  /** One of PLAYBACK_SPEEDS. */
  speed: number;
  /** Shows a new trace with the cursor before its first event. */
  load(trace: readonly TraceEvent[]): void;
  /** Moves the cursor to `index`, clamped to the trace; stops playing. */
  seek(index: number): void;
  stepForward(): void;
  stepBack(): void;
  /** Advances one event while playing; stops at the last one. */
  tick(): void;
  play(): void;
  pause(): void;
  setSpeed(speed: number): void;
}

function clampIndex(index: number, length: number): number {
  return Math.max(-1, Math.min(index, length - 1));
}

/** Creates a playback store with no trace. */
export function createPlaybackStore() {
  return createStore<PlaybackState>()((set, get) => ({
    trace: [],
    sources: [],
    index: -1,
    isPlaying: false,
    speed: 1,

    load(trace) {
      if (trace === get().trace) return;
      set({ trace, sources: resolveSources(trace), index: -1, isPlaying: false });
    },

    seek(index) {
      set({ index: clampIndex(index, get().trace.length), isPlaying: false });
    },

    stepForward() {
      get().seek(get().index + 1);
    },

    stepBack() {
      get().seek(get().index - 1);
    },

    tick() {
      const { index, trace } = get();
      const next = clampIndex(index + 1, trace.length);
      set({ index: next, isPlaying: next < trace.length - 1 });
    },

    play() {
      const { index, trace } = get();
      if (trace.length === 0) return;
      // Play from the start again once the end was reached.
      const start = index >= trace.length - 1 ? -1 : index;
      set({ index: start, isPlaying: true });
    },

    pause() {
      set({ isPlaying: false });
    },

    setSpeed(speed) {
      if (!(PLAYBACK_SPEEDS as readonly number[]).includes(speed)) return;
      set({ speed });
    },
  }));
}

/** The page's playback store. */
export const playbackStore = createPlaybackStore();
