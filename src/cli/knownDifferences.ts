/**
 * corpus/known-differences.txt: the corpus blocks that may differ from
 * real nginx without failing `npm run diff:check`, each with its reason.
 * One `FILE:TEST reason` a line (FILE without `.t`); `#` starts a comment.
 */

/** One accepted difference. */
export interface KnownDifference {
  file: string;
  test: number;
  reason: string;
}

const ENTRY = /^([\w.-]+?)(?:\.t)?:(\d+)\s+(\S.*)$/;

/**
 * Parses the list. Throws on a line that is not `FILE:TEST reason`, on a
 * missing reason and on a block listed twice, naming the line.
 */
export function parseKnownDifferences(text: string): KnownDifference[] {
  const entries: KnownDifference[] = [];
  text.split("\n").forEach((raw, index) => {
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (line === "") return;
    const match = ENTRY.exec(line);
    if (!match) {
      throw new Error(
        `known-differences.txt:${index + 1}: expected "FILE:TEST reason", ` +
          `got "${line}"`,
      );
    }
    const entry = { file: match[1], test: Number(match[2]), reason: match[3] };
    if (entries.some((e) => e.file === entry.file && e.test === entry.test)) {
      throw new Error(
        `known-differences.txt:${index + 1}: ${entry.file}:${entry.test} ` +
          "is listed twice",
      );
    }
    entries.push(entry);
  });
  return entries;
}

/** Returns the entry for a block, or undefined when it is not listed. */
export function findKnownDifference(
  entries: readonly KnownDifference[],
  file: string,
  test: number,
): KnownDifference | undefined {
  return entries.find((entry) => entry.file === file && entry.test === test);
}
