/**
 * The value Test::Base gives an expectation section: `--- name: text` is
 * the text as written, a multi-line section is its lines with one final
 * newline, and the filters after the name (`chomp`, `chop`, `trim`,
 * `eval`) then apply in order. parseTestFile keeps only the joined text,
 * so the `.t` file's own lines are read again to tell the two forms apart.
 */
import type { TestBlock } from "./parseTestFile";
import { evalPerl, type PerlValue } from "./perlValue";

/** One expectation section as Test::Base reads it. */
export interface ExpectationSection {
  name: string;
  filters: string[];
  /** The text before filters: lines joined by "\n", blank edges trimmed. */
  text: string;
  /** `--- name: value` on one line: no final newline is added. */
  isInline: boolean;
}

/** Test::Base filters this checker applies. */
export const SUPPORTED_FILTERS = new Set(["chomp", "chop", "trim", "eval"]);

/** Sections that parseTestFile reads as inline even without a colon. */
const INLINE_WITHOUT_COLON = new Set(["error_code", "error_code_like"]);

const SECTION_LINE = /^---\s+(\w+)(:?)(?:[ \t]+(.*?))?\s*$/;

function trimBlankEdges(lines: string[]): string[] {
  const out = [...lines];
  while (out.length > 0 && out[out.length - 1].trim() === "") out.pop();
  while (out.length > 0 && out[0].trim() === "") out.shift();
  return out;
}

function isFilterList(words: string): boolean {
  return words.split(/\s+/).every((word) => SUPPORTED_FILTERS.has(word));
}

/** Reads the sections of one block from the `.t` text, from its `===` line. */
function readRawSections(block: TestBlock, fileText: string): ExpectationSection[] {
  const lines = fileText.split("\n");
  const sections: ExpectationSection[] = [];
  let current: { section: ExpectationSection; lines: string[] } | null = null;
  const finish = () => {
    if (!current) return;
    current.section.text = trimBlankEdges(current.lines).join("\n");
    sections.push(current.section);
  };
  for (let i = block.line; i < lines.length; i++) {
    const line = lines[i];
    if (/^===/.test(line) || line.trim() === "__END__") break;
    const match = SECTION_LINE.exec(line);
    if (!match) {
      current?.lines.push(line);
      continue;
    }
    finish();
    const [, name, colon, rest] = match;
    const isInline =
      colon === ":" ||
      (INLINE_WITHOUT_COLON.has(name) && rest !== undefined && !isFilterList(rest));
    const filters = !isInline && rest ? rest.split(/\s+/) : [];
    const section = { name, filters, text: "", isInline };
    current = { section, lines: isInline && rest !== undefined ? [rest] : [] };
  }
  finish();
  return sections;
}

/** Rebuilds sections from a parsed block when the file text is not at hand. */
function fromParsedBlock(block: TestBlock): ExpectationSection[] {
  return Object.values(block.sections).map((section) => {
    if (!INLINE_WITHOUT_COLON.has(section.name)) {
      const { name, modifiers, text } = section;
      return { name, filters: modifiers, text, isInline: false };
    }
    // parseTestFile put `--- error_code eval` words into the text.
    const [first, ...rest] = section.text.split("\n");
    if (rest.length > 0 && isFilterList(first.trim())) {
      const filters = first.trim().split(/\s+/);
      return { name: section.name, filters, text: rest.join("\n"), isInline: false };
    }
    return { name: section.name, filters: [], text: section.text, isInline: true };
  });
}

/**
 * Lists a block's sections with their Test::Base form. Pass the `.t` text
 * the block came from to tell `--- name: value` from a one-line section;
 * without it, only error_code is read as inline.
 */
export function readSections(
  block: TestBlock,
  fileText?: string,
): Map<string, ExpectationSection> {
  const sections = fileText === undefined
    ? fromParsedBlock(block)
    : readRawSections(block, fileText);
  return new Map(sections.map((section) => [section.name, section]));
}

/**
 * Returns the value of a section after its filters. Throws PerlValueError
 * for an eval it cannot read, or an Error for an unknown filter.
 */
export function sectionValue(section: ExpectationSection): PerlValue {
  let value: PerlValue =
    section.isInline || section.text === "" ? section.text : section.text + "\n";
  for (const filter of section.filters) {
    if (typeof value !== "string") {
      throw new Error(`filter "${filter}" after eval is not supported`);
    }
    if (filter === "chomp") value = value.replace(/\n$/, "");
    else if (filter === "chop") value = value.slice(0, -1);
    else if (filter === "trim") {
      value = value.replace(/^([ \t]*\n)+/, "").replace(/(?<=\n)\s*$/, "");
    }
    else if (filter === "eval") value = evalPerl(value);
    else {
      throw new Error(
        `filter "${filter}" of "--- ${section.name}" is not supported ` +
          `(supported: ${[...SUPPORTED_FILTERS].join(", ")})`,
      );
    }
  }
  return value;
}
