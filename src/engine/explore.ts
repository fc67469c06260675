/**
 * The interleaving explorer: runs one scenario under many seeds with
 * timing jitter on, so that requests, sleeps and timers interleave
 * differently in each run, and groups the runs by what the client saw.
 * "2 of 12 orders lose an update" comes from here; each run is
 * replayable from its seed.
 */
import { addRun, type OutcomeGroup } from "./exploreGroups";
import { runScenario } from "./run";
import type { Scenario } from "./scenario";

export type { OutcomeGroup } from "./exploreGroups";

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
  const groups: OutcomeGroup[] = [];
  for (const seed of seeds) {
    addRun(groups, seed, runScenario({ ...scenario, seed, jitterMs }));
  }
  return { runs: seeds.length, jitterMs, groups };
}
