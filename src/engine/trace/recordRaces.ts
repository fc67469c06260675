import { detectRaces, type RaceFinding, type RaceOptions } from "./raceDetector";
import type { TraceRecorder } from "./recorder";

/** Finds a run's races and adds each to the trace at its write. */
export function recordRaces(trace: TraceRecorder, options: RaceOptions = {}): RaceFinding[] {
  const races = detectRaces(trace.events, options);
  for (const race of races) {
    trace.record({
      kind: "race",
      time: race.writeTime,
      pid: race.actor.pid,
      connection: race.actor.connection ?? undefined,
      timerId: race.actor.timerId ?? undefined,
      thread: race.actor.thread ?? undefined,
      source: race.writeSource ?? undefined,
      race: race.kind,
      resource: race.dict,
      key: race.key,
    });
  }
  return races;
}
