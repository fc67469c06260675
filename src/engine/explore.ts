/**
 * The interleaving explorer: runs one scenario under many seeds with
 * timing jitter on, so that requests, sleeps and timers interleave
 * differently in each run, and groups the runs by what the client saw.
 * "2 of 12 orders lose an update" comes from here; each run is
 * replayable from its seed.
 */
import { runScenario } from "./run";
import type { Scenario } from "./scenario";

/** Runs that gave the same responses. */
export interface OutcomeGroup {
  /** The responses as the client saw them: "200 body" per request. */
  responses: string[];
  /** Seeds of the runs in this group, in the order they were run. */
  seeds: number[];
  /** How many of those runs had a lost update on a shared dict key. */
  lostUpdates: number;
}

export interface ExploreResult {
  runs: number;
  jitterMs: number;
  groups: OutcomeGroup[];
}

/** The largest jitter the explorer uses when the scenario has none. */
export const DEFAULT_EXPLORE_JITTER_MS = 5;

/** Runs `scenario` once per seed and groups the outcomes. */
export function exploreInterleavings(
  scenario: Scenario,
  seeds: readonly number[],
): ExploreResult {
  const jitterMs = scenario.jitterMs || DEFAULT_EXPLORE_JITTER_MS;
  const groups = new Map<string, OutcomeGroup>();
  for (const seed of seeds) {
    const run = { ...scenario, seed, jitterMs };
    const result = runScenario(run);
    const responses = result.responses.map((r) =>
      r.empty_reply ? "(empty reply)" : `${r.status ?? "-"} ${r.body}`,
    );
    // Parallel copies are interchangeable: compare them as a multiset.
    const key = JSON.stringify([...responses].sort());
    let group = groups.get(key);
    if (!group) {
      group = { responses, seeds: [], lostUpdates: 0 };
      groups.set(key, group);
    }
    group.seeds.push(seed);
    if (result.races.some((race) => race.kind === "lost update")) group.lostUpdates++;
  }
  return { runs: seeds.length, jitterMs, groups: [...groups.values()] };
}

