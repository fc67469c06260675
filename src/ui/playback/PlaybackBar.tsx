import { describeStep } from "./describeStep";
import { PLAYBACK_SPEEDS, playbackStore } from "./playbackStore";
import { usePlayback, usePlaybackClock } from "./usePlayback";

/** Play, Pause, Step and speed controls, and the cursor event in words. */
export function PlaybackBar() {
  usePlaybackClock();
  const index = usePlayback((state) => state.index);
  const trace = usePlayback((state) => state.trace);
  const sources = usePlayback((state) => state.sources);
  const isPlaying = usePlayback((state) => state.isPlaying);
  const speed = usePlayback((state) => state.speed);
  const actions = playbackStore.getState();
  const event = index >= 0 ? trace[index] : undefined;
  const text = event
    ? describeStep(event, sources[index], trace[index + 1])
    : "Before the first event: press Play or Step to walk through the trace.";

  return (
    <div className="playback-bar" data-testid="playback-bar">
      <button
        type="button"
        data-testid="playback-step-back"
        title="Step back one event"
        disabled={index < 0}
        onClick={actions.stepBack}
      >
        ◀ Step
      </button>
      {isPlaying ? (
        <button type="button" data-testid="playback-pause" onClick={actions.pause}>
          Pause
        </button>
      ) : (
        <button type="button" data-testid="playback-play" onClick={actions.play}>
          Play
        </button>
      )}
      <button
        type="button"
        data-testid="playback-step-forward"
        title="Step forward one event"
        disabled={index >= trace.length - 1}
        onClick={actions.stepForward}
      >
        Step ▶
      </button>
      <label>
        speed{" "}
        <select
          data-testid="playback-speed"
          value={speed}
          onChange={(change) => actions.setSpeed(Number(change.target.value))}
        >
          {PLAYBACK_SPEEDS.map((option) => (
            <option key={option} value={option}>
              {option}x
            </option>
          ))}
        </select>
      </label>
      <span className="playback-position" data-testid="playback-position">
        {index + 1} / {trace.length}
      </span>
      <span className="playback-event" data-testid="playback-event" data-index={index}>
        {text}
      </span>
    </div>
  );
}
