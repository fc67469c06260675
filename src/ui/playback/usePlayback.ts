import { useEffect } from "react";
import { useStore } from "zustand";
import { BASE_EVENTS_PER_SECOND, playbackStore, type PlaybackState } from "./playbackStore";

/** Selects a slice of the playback state and re-renders when it changes. */
export function usePlayback<T>(selector: (state: PlaybackState) => T): T {
  return useStore(playbackStore, selector);
}

/** Advances the cursor at the chosen speed while Play is on. */
export function usePlaybackClock(): void {
  const isPlaying = usePlayback((state) => state.isPlaying);
  const speed = usePlayback((state) => state.speed);
  useEffect(() => {
    if (!isPlaying) return;
    const interval = 1000 / (BASE_EVENTS_PER_SECOND * speed);
    const timer = window.setInterval(() => playbackStore.getState().tick(), interval);
    return () => window.clearInterval(timer);
  }, [isPlaying, speed]);
}
