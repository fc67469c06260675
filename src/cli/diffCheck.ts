/**
 * `npm run diff:check`: the differential check. Runs every block of
 * corpus/*.t in the simulator and compares it with what real nginx
 * recorded in corpus/golden/*.json (status, body, empty_reply, error-log
 * lines, startup_error), after rewriting the real records by the table of
 * known Debian-vs-OpenResty differences (debianDifferences.ts).
 *
 * Prints a table per file. The exit code is 1 when a block differs that
 * corpus/known-differences.txt does not list, or when that list names a
 * block that does not exist.
 *
 * Options: `--live` records the corpus with real nginx first
 * (scripts/diff-record); `--file NAME` (repeatable) checks only those files.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseTestFile } from "../engine/testnginx/parseTestFile";
import {
  runBlockRecord,
  type GoldenRecord,
  type ScenarioRunner,
} from "../engine/testnginx/record";
import { compareRecords, type RecordDiff } from "./compareRecords";
import { translateDebianRecord } from "./debianDifferences";
import {
  findKnownDifference,
  parseKnownDifferences,
  type KnownDifference,
} from "./knownDifferences";
import { loadScenarioRunner } from "./loadEngine";

/** The result of comparing one block with real nginx. */
export interface BlockOutcome {
  test: number;
  title: string;
  /** `known`: it differs and known-differences.txt lists it. */
  status: "match" | "known" | "differs";
  diff: RecordDiff | null;
  /** The reason from known-differences.txt, for a listed block. */
  reason: string | null;
  /** Ids of the translation rules applied to the real record. */
  translations: string[];
}

/** The outcome of one corpus file. */
export interface CorpusFileResult {
  file: string;
  outcomes: BlockOutcome[];
}

const USAGE = "usage: npm run diff:check -- [--live] [--file NAME]...";

/** Gives a block's outcome from its first difference and the known list. */
export function classifyBlock(
  file: string,
  golden: GoldenRecord,
  diff: RecordDiff | null,
  known: readonly KnownDifference[],
  translations: string[] = [],
): BlockOutcome {
  const entry = findKnownDifference(known, file, golden.test);
  let status: BlockOutcome["status"] = "match";
  if (diff) status = entry ? "known" : "differs";
  return {
    test: golden.test,
    title: golden.title,
    status,
    diff,
    reason: entry?.reason ?? null,
    translations,
  };
}

function readGolden(corpusDir: string, file: string): GoldenRecord[] {
  const goldenPath = path.join(corpusDir, "golden", `${file}.json`);
  if (!existsSync(goldenPath)) return [];
  return JSON.parse(readFileSync(goldenPath, "utf8")) as GoldenRecord[];
}

/**
 * Runs one corpus file in the simulator and compares each block with the
 * real record. A block without a real record, or a record without a
 * block, counts as a difference.
 */
export async function checkCorpusFile(
  corpusDir: string,
  file: string,
  run: ScenarioRunner,
  known: readonly KnownDifference[],
): Promise<CorpusFileResult> {
  const text = readFileSync(path.join(corpusDir, `${file}.t`), "utf8");
  const blocks = parseTestFile(text);
  const goldens = readGolden(corpusDir, file);
  const outcomes: BlockOutcome[] = [];
  for (const block of blocks) {
    const golden = goldens.find((record) => record.test === block.test);
    if (!golden) {
      const missing = { test: block.test, title: block.title } as GoldenRecord;
      const diff = {
        field: "golden",
        expected: "a record from real nginx",
        actual: "(none: run npm run diff:record)",
      };
      outcomes.push(classifyBlock(file, missing, diff, known));
      continue;
    }
    const { record: real, applied } = translateDebianRecord(golden);
    const simulated = await runBlockRecord(block, run);
    const diff = compareRecords(real, simulated);
    outcomes.push(classifyBlock(file, real, diff, known, applied));
  }
  for (const golden of goldens) {
    if (blocks.some((block) => block.test === golden.test)) continue;
    const diff = {
      field: "test",
      expected: `TEST ${golden.test}`,
      actual: "(no such block in the .t file)",
    };
    outcomes.push(classifyBlock(file, golden, diff, known));
  }
  return { file, outcomes };
}

/** Formats the per-file table and one line per differing block. */
export function formatTable(results: readonly CorpusFileResult[]): string {
  const width = Math.max(4, ...results.map((r) => r.file.length));
  const header = ["file".padEnd(width), "blocks", "match", "known", "differs"];
  const out = [header.join("  ")];
  const totals = [0, 0, 0, 0];
  for (const { file, outcomes } of results) {
    const counts = [
      outcomes.length,
      outcomes.filter((o) => o.status === "match").length,
      outcomes.filter((o) => o.status === "known").length,
      outcomes.filter((o) => o.status === "differs").length,
    ];
    counts.forEach((count, i) => (totals[i] += count));
    const cells = counts.map((count, i) => String(count).padStart(header[i + 1].length));
    out.push([file.padEnd(width), ...cells].join("  "));
    for (const outcome of outcomes) {
      if (!outcome.diff) continue;
      const mark = outcome.status === "known" ? "known" : "DIFFERS";
      const { field, expected, actual } = outcome.diff;
      out.push(`  TEST ${outcome.test} ${mark}: ${field}: real ${expected}, simulator ${actual}`);
      if (outcome.reason) out.push(`    reason: ${outcome.reason}`);
    }
  }
  const cells = totals.map((count, i) => String(count).padStart(header[i + 1].length));
  out.push(["total".padEnd(width), ...cells].join("  "));
  return out.join("\n") + "\n";
}

/** Lists known-differences entries that name no block of the corpus. */
export function unknownEntries(
  results: readonly CorpusFileResult[],
  known: readonly KnownDifference[],
): string[] {
  return known
    .filter((entry) => {
      const result = results.find((r) => r.file === entry.file);
      return !result?.outcomes.some((o) => o.test === entry.test);
    })
    .map((entry) => `${entry.file}:${entry.test}`);
}

/** Lists known-differences entries whose block now matches. */
export function matchingEntries(results: readonly CorpusFileResult[]): string[] {
  return results.flatMap(({ file, outcomes }) =>
    outcomes
      .filter((o) => o.status === "match" && o.reason !== null)
      .map((o) => `${file}:${o.test}`),
  );
}

interface DiffCheckOptions {
  isLive: boolean;
  files: string[];
}

function parseArgs(argv: string[]): DiffCheckOptions {
  const options: DiffCheckOptions = { isLive: false, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--live") options.isLive = true;
    else if (arg === "--file") options.files.push((argv[++i] ?? "").replace(/\.t$/, ""));
    else throw new Error(`unknown argument ${arg}`);
  }
  return options;
}

function recordLive(repoRoot: string, corpusDir: string, files: string[]): boolean {
  const script = path.join(repoRoot, "scripts", "diff-record");
  const args = files.map((file) => path.join(corpusDir, `${file}.t`));
  const result = spawnSync(script, args, { stdio: "inherit" });
  return result.status === 0;
}

async function main(argv: string[]): Promise<number> {
  let options: DiffCheckOptions;
  try {
    options = parseArgs(argv);
  } catch (error) {
    process.stderr.write(`diff:check: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
  const corpusDir = path.join(repoRoot, "corpus");
  const available = readdirSync(corpusDir)
    .filter((name) => name.endsWith(".t"))
    .map((name) => name.slice(0, -2))
    .sort();
  const missing = options.files.filter((file) => !available.includes(file));
  if (missing.length > 0) {
    process.stderr.write(`diff:check: corpus file not found: ${missing.join(", ")}.t\n`);
    return 2;
  }
  const files = options.files.length > 0 ? options.files : available;
  if (options.isLive && !recordLive(repoRoot, corpusDir, options.files)) {
    process.stderr.write("diff:check: recording with real nginx failed\n");
    return 1;
  }

  const listPath = path.join(corpusDir, "known-differences.txt");
  const known = existsSync(listPath)
    ? parseKnownDifferences(readFileSync(listPath, "utf8"))
    : [];
  const run = await loadScenarioRunner();
  const results: CorpusFileResult[] = [];
  for (const file of files) {
    results.push(await checkCorpusFile(corpusDir, file, run, known));
  }
  process.stdout.write(formatTable(results));

  let code = 0;
  for (const entry of matchingEntries(results)) {
    process.stdout.write(`note: ${entry} now matches; remove it from known-differences.txt\n`);
  }
  const checkedKnown = known.filter((entry) => files.includes(entry.file));
  const unknown = unknownEntries(results, checkedKnown);
  if (unknown.length > 0) {
    process.stderr.write(`diff:check: known-differences.txt names missing blocks: ${unknown.join(", ")}\n`);
    code = 1;
  }
  const differing = results.flatMap(({ file, outcomes }) =>
    outcomes.filter((o) => o.status === "differs").map((o) => `${file}:${o.test}`),
  );
  if (differing.length > 0) {
    process.stderr.write(
      `diff:check: blocks differ from real nginx: ${differing.join(", ")}\n` +
        "Fix the simulator, or list the block in corpus/known-differences.txt with the reason.\n",
    );
    code = 1;
  }
  return code;
}

const isEntryPoint = process.argv[1]?.replace(/\\/g, "/").endsWith("cli/diffCheck.ts");
if (isEntryPoint) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
