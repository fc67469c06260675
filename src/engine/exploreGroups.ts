/**
 * Groups runs of one scenario under different seeds by what the client
 * saw. Pure data in, data out, so the page can group runs it made through
 * the engine's Web Worker and the engine can group its own.
 */
import type { RunResult } from "./scenario";

/** Runs that gave the same responses. */
export interface OutcomeGroup {
  /** The responses as the client saw them: "200 body" per request. */
  responses: string[];
  /** Seeds of the runs in this group, in the order they were run. */
  seeds: number[];
  /** How many of those runs had a lost update on a shared dict key. */
  lostUpdates: number;
}

/** Adds one run to the groups (parallel copies compare as a multiset). */
export function addRun(groups: OutcomeGroup[], seed: number, result: RunResult): void {
  const responses = result.responses.map((r) =>
    r.empty_reply ? "(empty reply)" : `${r.status ?? "-"} ${r.body}`,
  );
  const key = JSON.stringify([...responses].sort());
  let group = groups.find((g) => JSON.stringify([...g.responses].sort()) === key);
  if (!group) {
    group = { responses, seeds: [], lostUpdates: 0 };
    groups.push(group);
  }
  group.seeds.push(seed);
  if (result.races.some((race) => race.kind === "lost update")) group.lostUpdates++;
}
