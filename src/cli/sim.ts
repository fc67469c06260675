/**
 * The headless runner: `npm run sim -- FILE.t [--test N] [--pretty]` runs
 * the blocks of a Test::Nginx file in the simulator and prints a JSON
 * array of records in the shape of the oracle's golden files. With
 * `--check` it checks each block's expectations instead and prints one
 * `ok N - title` / `not ok N - title` line per block and a summary.
 */
import { readFileSync } from "node:fs";
import {
  formatBlockCheck,
  formatSummary,
  runBlockCheck,
  type BlockCheck,
} from "../engine/testnginx/checkRun";
import { parseTestFile } from "../engine/testnginx/parseTestFile";
import {
  runBlockRecord,
  type GoldenRecord,
  type ScenarioRunner,
} from "../engine/testnginx/record";
import type { RunResult } from "../engine/scenario";
import { loadScenarioRunner, loadThreadsRunner } from "./loadEngine";
import { raceRecords, type RaceRecord } from "./raceReport";

const USAGE = `usage: npm run sim -- FILE.t [--test N] [--pretty] [--check] [--races] [--lockstep | --threads]
  --test N   run only TEST N of the file
  --pretty   indent the JSON output (one space per level, as golden files)
  --check    check each block's expectations (response_body, error_code,
             error_log, ...) and print ok / not ok lines; exit status 1
             when a block fails
  --races    add to each record a "races" list: read-modify-write races on
             shared dict keys ("lost update" or "possible race")
  --lockstep run each worker and the privileged agent in a worker_threads
             thread of its own, taking turns in virtual-time order (the
             same trace as without it)
  --threads  the same threads, in parallel and paced by the wall clock
             (not reproducible)`;

interface SimOptions {
  file: string;
  test: number | null;
  isPretty: boolean;
  isCheck: boolean;
  hasRaces: boolean;
  threads: "lockstep" | "threads" | null;
}

function parseArgs(argv: string[]): SimOptions {
  let file: string | null = null;
  let test: number | null = null;
  let isPretty = false;
  let isCheck = false;
  let hasRaces = false;
  let threads: SimOptions["threads"] = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--pretty") {
      isPretty = true;
    } else if (arg === "--check") {
      isCheck = true;
    } else if (arg === "--races") {
      hasRaces = true;
    } else if (arg === "--threads" || arg === "--lockstep") {
      threads = arg === "--threads" ? "threads" : "lockstep";
    } else if (arg === "--test") {
      test = Number(argv[++i]);
      if (!Number.isInteger(test)) throw new Error("--test needs a number");
    } else if (arg.startsWith("--")) {
      throw new Error(`unknown option ${arg}`);
    } else if (file === null) {
      file = arg;
    } else {
      throw new Error(`unexpected argument ${arg}`);
    }
  }
  if (file === null) throw new Error("missing FILE.t");
  return { file, test, isPretty, isCheck, hasRaces, threads };
}

/** Runs the blocks of one .t text (all, or TEST `test`) in file order. */
export async function runTestFileText(
  text: string,
  run: ScenarioRunner,
  test: number | null = null,
  hasRaces = false,
): Promise<Array<GoldenRecord & { races?: RaceRecord[] }>> {
  const blocks = parseTestFile(text).filter(
    (block) => test === null || block.test === test,
  );
  const records: Array<GoldenRecord & { races?: RaceRecord[] }> = [];
  for (const block of blocks) {
    let last: RunResult | null = null;
    const tracked: ScenarioRunner = async (scenario) => (last = await run(scenario));
    const record = await runBlockRecord(block, tracked);
    const races = (last as RunResult | null)?.races ?? [];
    records.push(hasRaces ? { ...record, races: raceRecords(races) } : record);
  }
  return records;
}

/** Runs and checks the blocks of one .t text (all, or TEST `test`). */
export async function checkTestFileText(
  text: string,
  run: ScenarioRunner,
  test: number | null = null,
): Promise<BlockCheck[]> {
  const blocks = parseTestFile(text).filter(
    (block) => test === null || block.test === test,
  );
  const checks: BlockCheck[] = [];
  for (const block of blocks) checks.push(await runBlockCheck(block, run, text));
  return checks;
}

/** Prints a check report; returns the exit status (1 if a block failed). */
function printChecks(checks: BlockCheck[]): number {
  for (const check of checks) {
    process.stdout.write(formatBlockCheck(check).join("\n") + "\n");
  }
  process.stdout.write(formatSummary(checks) + "\n");
  return checks.every((check) => check.passed) ? 0 : 1;
}

async function main(argv: string[]): Promise<number> {
  let options: SimOptions;
  try {
    options = parseArgs(argv);
  } catch (error) {
    process.stderr.write(`sim: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(options.file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    process.stderr.write(`sim: cannot read ${options.file}: ${reason}\n`);
    return 1;
  }
  const run = options.threads ? await loadThreadsRunner(options.threads) : await loadScenarioRunner();
  if (options.isCheck) {
    const checks = await checkTestFileText(text, run, options.test);
    if (checks.length === 0) {
      const what = options.test === null ? 'no "=== TEST" blocks' : `no TEST ${options.test}`;
      process.stderr.write(`sim: ${options.file} has ${what}\n`);
      return 1;
    }
    return printChecks(checks);
  }
  const records = await runTestFileText(text, run, options.test, options.hasRaces);
  if (records.length === 0 && options.test === null) {
    process.stderr.write(`sim: ${options.file} has no "=== TEST" blocks\n`);
    return 1;
  }
  if (options.test !== null && records.length === 0) {
    process.stderr.write(`sim: no TEST ${options.test} in ${options.file}\n`);
    return 1;
  }
  const indent = options.isPretty ? 1 : undefined;
  process.stdout.write(JSON.stringify(records, null, indent) + "\n");
  return 0;
}

const isEntryPoint = process.argv[1]?.replace(/\\/g, "/").endsWith("cli/sim.ts");
if (isEntryPoint) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
