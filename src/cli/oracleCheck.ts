/**
 * `npm run oracle`: runs every block of the oracle's cases/*.t in the
 * simulator and compares each record with golden/*.json. Prints a table
 * (file, blocks, matched) and the first differing field of each mismatch.
 *
 * Options: `--file NAME` (repeatable) checks only those files.
 * `--require FILE[:TESTS]` (repeatable, TESTS like `1,2,4`) makes the exit
 * code 1 when a listed block does not match. `--json [PATH]` writes the
 * per-file numbers as JSON to PATH, or to standard output instead of the
 * table. `--lockstep` and `--threads` run each block with a thread per
 * process, taking turns or in parallel.
 * ORACLE_DIR overrides the oracle folder (default ../shared/oracle from the
 * repository root).
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseTestFile } from "../engine/testnginx/parseTestFile";
import {
  runBlockRecord,
  type GoldenRecord,
  type ScenarioRunner,
} from "../engine/testnginx/record";
import { compareRecords, type RecordDiff } from "./compareRecords";
import { loadScenarioRunner, loadThreadsRunner } from "./loadEngine";

interface CheckOptions {
  files: string[];
  requirements: Map<string, number[] | "all">;
  json: { path: string | null } | null;
  /** Run every block with a thread per process: taking turns, or in parallel. */
  threads: "lockstep" | "threads" | null;
}

/** The outcome of one file: its blocks and the first diff of each mismatch. */
export interface FileResult {
  file: string;
  blocks: number;
  matched: number;
  mismatches: Array<{ test: number; diff: RecordDiff }>;
  /** Test numbers that matched. */
  matchedTests: number[];
}

const USAGE = `usage: npm run oracle -- [--file NAME]... [--require FILE[:TESTS]]... [--json [PATH]] [--lockstep | --threads]`;

function stripExtension(name: string): string {
  return name.replace(/\.(t|json)$/, "");
}

function addRequirement(options: CheckOptions, spec: string): void {
  const [file, tests] = spec.split(":");
  const numbers = tests ? tests.split(",").map(Number) : "all";
  if (numbers !== "all" && numbers.some((n) => !Number.isInteger(n))) {
    throw new Error(`invalid --require value "${spec}"`);
  }
  options.requirements.set(stripExtension(file), numbers);
}

function parseArgs(argv: string[]): CheckOptions {
  const options: CheckOptions = { files: [], requirements: new Map(), json: null, threads: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--file") {
      options.files.push(stripExtension(argv[++i] ?? ""));
    } else if (arg === "--require") {
      addRequirement(options, argv[++i] ?? "");
    } else if (arg === "--require-file") {
      // One FILE[:TESTS] a line; `#` starts a comment.
      const path = argv[++i] ?? "";
      for (const line of readFileSync(path, "utf8").split("\n")) {
        const spec = line.replace(/#.*/, "").trim();
        if (spec) addRequirement(options, spec);
      }
    } else if (arg === "--threads" || arg === "--lockstep") {
      options.threads = arg === "--threads" ? "threads" : "lockstep";
    } else if (arg === "--json") {
      const next = argv[i + 1];
      options.json = { path: next && !next.startsWith("--") ? argv[++i] : null };
    } else {
      throw new Error(`unknown argument ${arg}`);
    }
  }
  return options;
}

/** Runs one case file and compares it with its golden file. */
export async function checkFile(
  oracleDir: string,
  file: string,
  run: ScenarioRunner,
): Promise<FileResult> {
  const text = readFileSync(path.join(oracleDir, "cases", `${file}.t`), "utf8");
  const goldenPath = path.join(oracleDir, "golden", `${file}.json`);
  const golden = JSON.parse(readFileSync(goldenPath, "utf8")) as GoldenRecord[];
  const blocks = parseTestFile(text);
  const result: FileResult = { file, blocks: golden.length, matched: 0, mismatches: [], matchedTests: [] };
  for (const want of golden) {
    const block = blocks.find((candidate) => candidate.test === want.test);
    if (!block) {
      const diff = { field: "test", expected: `TEST ${want.test}`, actual: "(no such block)" };
      result.mismatches.push({ test: want.test, diff });
      continue;
    }
    const got = await runBlockRecord(block, run);
    const diff = compareRecords(want, got);
    if (diff) {
      result.mismatches.push({ test: want.test, diff });
    } else {
      result.matched++;
      result.matchedTests.push(want.test);
    }
  }
  return result;
}

function printTable(results: FileResult[]): void {
  const width = Math.max(4, ...results.map((r) => r.file.length));
  const out: string[] = [`${"file".padEnd(width)}  blocks  matched`];
  for (const r of results) {
    out.push(`${r.file.padEnd(width)}  ${String(r.blocks).padStart(6)}  ${String(r.matched).padStart(7)}`);
    for (const { test, diff } of r.mismatches) {
      out.push(`  TEST ${test}: ${diff.field}: expected ${diff.expected}, got ${diff.actual}`);
    }
  }
  const blocks = results.reduce((sum, r) => sum + r.blocks, 0);
  const matched = results.reduce((sum, r) => sum + r.matched, 0);
  out.push(`${"total".padEnd(width)}  ${String(blocks).padStart(6)}  ${String(matched).padStart(7)}`);
  process.stdout.write(out.join("\n") + "\n");
}

/** Lists each required block that did not match, as `FILE TEST N`. */
export function unmetRequirements(
  results: FileResult[],
  requirements: Map<string, number[] | "all">,
): string[] {
  const unmet: string[] = [];
  for (const [file, tests] of requirements) {
    const result = results.find((r) => r.file === file);
    if (!result) {
      unmet.push(`${file} (not checked)`);
      continue;
    }
    const required = tests === "all" ? result.mismatches.map((m) => m.test) : tests;
    for (const test of required) {
      if (!result.matchedTests.includes(test)) unmet.push(`${file} TEST ${test}`);
    }
  }
  return unmet;
}

async function main(argv: string[]): Promise<number> {
  let options: CheckOptions;
  try {
    options = parseArgs(argv);
  } catch (error) {
    process.stderr.write(`oracle: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
  const oracleDir = process.env.ORACLE_DIR ?? path.resolve(repoRoot, "../shared/oracle");
  const available = readdirSync(path.join(oracleDir, "cases"))
    .filter((name) => name.endsWith(".t"))
    .map(stripExtension)
    .sort();
  const selected = options.files.length > 0
    ? available.filter((file) => options.files.includes(file))
    : available;

  const run = options.threads ? await loadThreadsRunner(options.threads) : await loadScenarioRunner();
  const results: FileResult[] = [];
  for (const file of selected) results.push(await checkFile(oracleDir, file, run));

  if (options.json) {
    const numbers = results.map(({ file, blocks, matched, matchedTests }) => ({ file, blocks, matched, matchedTests }));
    const text = JSON.stringify(numbers, null, 1) + "\n";
    if (options.json.path) writeFileSync(options.json.path, text);
    else process.stdout.write(text);
  }
  if (!options.json || options.json.path) printTable(results);

  const unmet = unmetRequirements(results, options.requirements);
  if (unmet.length > 0) {
    process.stderr.write(`oracle: required blocks do not match: ${unmet.join(", ")}\n`);
    return 1;
  }
  return 0;
}

const isEntryPoint = process.argv[1]?.replace(/\\/g, "/").endsWith("cli/oracleCheck.ts");
if (isEntryPoint) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
