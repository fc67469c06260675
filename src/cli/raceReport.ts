/**
 * The `races` list that `npm run sim -- FILE.t --races` adds to each
 * record: every read-modify-write race the engine found, with the
 * requests or timers involved, their source lines and virtual times.
 */
import type { SourcePosition } from "../engine/trace/events";
import type { RaceFinding } from "../engine/trace/raceDetector";

export interface RaceRecord {
  kind: RaceFinding["kind"];
  dict: string;
  key: string;
  /** The coroutine that read, yielded and wrote back, then the other writer. */
  actors: string[];
  read: { source: string | null; time: number };
  write: { source: string | null; time: number };
  other: { source: string | null; time: number } | null;
  suggestion: string;
}

function where(source: SourcePosition | null): string | null {
  return source ? `${source.chunkName}:${source.line}` : null;
}

/** Turns engine race findings into the runner's JSON shape. */
export function raceRecords(races: readonly RaceFinding[]): RaceRecord[] {
  return races.map((race) => ({
    kind: race.kind,
    dict: race.dict,
    key: race.key,
    actors: [race.actor.label, ...(race.intervening ? [race.intervening.actor.label] : [])],
    read: { source: where(race.readSource), time: race.readTime },
    write: { source: where(race.writeSource), time: race.writeTime },
    other: race.intervening
      ? { source: where(race.intervening.source), time: race.intervening.time }
      : null,
    suggestion: race.suggestion,
  }));
}
