/**
 * A parser for Test::Nginx `.t` files: `=== TEST N: title` blocks made of
 * `--- section` parts. Section text is kept raw; requests.ts and
 * generateConf.ts give meaning to the sections the simulator runs.
 */

/** One `--- name [modifiers]` part of a block. */
export interface TestSection {
  name: string;
  /** Words after the name, such as `eval` or `chomp` (Test::Base filters). */
  modifiers: string[];
  /** The text, with blank lines trimmed as the oracle runner trims them. */
  text: string;
}

/** One `=== TEST` block. */
export interface TestBlock {
  test: number;
  title: string;
  /** The 1-based line of the `===` line in the file. */
  line: number;
  sections: Record<string, TestSection>;
  /** Sections and modifiers that were kept but will not be honoured. */
  notes: string[];
}

/** Sections whose value is written on the `---` line itself. */
const INLINE_SECTIONS = new Set([
  "concurrency",
  "repeat",
  "wait",
  "startup_wait",
  "timeout",
  "error_code",
]);

/** Sections the simulator runs or records. */
export const RUN_SECTIONS = new Set([
  "main_config",
  "http_config",
  "config",
  "request",
  "requests",
  "more_headers",
  "concurrency",
  "repeat",
  "wait",
  "startup_wait",
  "timeout",
  "sort_error_log",
  "steps",
  "user_files",
]);

/** Test::Nginx expectations: kept as raw text, not checked yet. */
export const EXPECTATION_SECTIONS = new Set([
  "response_body",
  "response_body_like",
  "error_code",
  "response_headers",
  "error_log",
  "no_error_log",
  "grep_error_log",
  "grep_error_log_out",
  "expected",
]);

/** Sections whose leading blank lines are kept (line numbers depend on them). */
const KEEP_LEADING_BLANKS = new Set(["config", "http_config", "main_config"]);

const TEST_LINE = /^===\s*(?:TEST\s+(\d+)\s*:?)?\s*(.*?)\s*$/;
const SECTION_LINE = /^---\s+(\w+)(:?)(?:[ \t]+(.*?))?\s*$/;

/** Parses the blocks of a `.t` file; text before the first `===` is skipped. */
export function parseTestFile(text: string): TestBlock[] {
  const lines = text.split("\n");
  const dataStart = lines.findIndex((line) => line.trim() === "__DATA__");
  const blocks: TestBlock[] = [];
  let block: TestBlock | null = null;
  let sectionLines: string[] | null = null;
  const pendingLines: PendingLines = new Map();

  for (let i = dataStart + 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === "__END__") break;
    const testMatch = TEST_LINE.exec(line);
    if (testMatch) {
      const number = testMatch[1] ? Number(testMatch[1]) : blocks.length + 1;
      block = {
        test: number,
        title: testMatch[2],
        line: i + 1,
        sections: {},
        notes: [],
      };
      blocks.push(block);
      sectionLines = null;
      continue;
    }
    if (!block) continue;
    const sectionMatch = SECTION_LINE.exec(line);
    if (sectionMatch) {
      sectionLines = startSection(block, sectionMatch, pendingLines);
      continue;
    }
    sectionLines?.push(line);
  }
  for (const parsed of blocks) finishBlock(parsed, pendingLines);
  return blocks;
}

/** Raw lines per section while the file is read; joined in finishBlock. */
type PendingLines = Map<TestSection, string[]>;

function startSection(
  block: TestBlock,
  match: RegExpExecArray,
  pendingLines: PendingLines,
): string[] {
  const [, name, colon, rest] = match;
  const isInline = colon === ":" || INLINE_SECTIONS.has(name);
  const lines: string[] = isInline && rest !== undefined ? [rest] : [];
  const modifiers = !isInline && rest ? rest.split(/\s+/) : [];
  const section: TestSection = { name, modifiers, text: "" };
  block.sections[name] = section;
  pendingLines.set(section, lines);
  if (!RUN_SECTIONS.has(name) && !EXPECTATION_SECTIONS.has(name)) {
    block.notes.push(`section "--- ${name}" is not supported and was ignored`);
  }
  for (const modifier of modifiers) {
    if (modifier !== "chomp") {
      block.notes.push(
        `modifier "${modifier}" of "--- ${name}" is not supported`,
      );
    }
  }
  return lines;
}

function finishBlock(block: TestBlock, pendingLines: PendingLines): void {
  for (const section of Object.values(block.sections)) {
    const lines = pendingLines.get(section) ?? [];
    while (lines.length > 0 && lines[lines.length - 1].trim() === "") {
      lines.pop();
    }
    if (!KEEP_LEADING_BLANKS.has(section.name)) {
      while (lines.length > 0 && lines[0].trim() === "") lines.shift();
    }
    section.text = lines.join("\n");
  }
}

/** Returns a section's raw text, or undefined when the block has none. */
export function sectionText(block: TestBlock, name: string): string | undefined {
  return block.sections[name]?.text;
}
