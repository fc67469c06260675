/**
 * A short line diff of an expected and an actual text, for reports of a
 * failed expectation: the changed lines with a little context, and a note
 * when the texts differ only in a final newline.
 */

/** One line of a diff: kept, only expected (-) or only actual (+). */
export interface DiffLine {
  kind: "same" | "expected" | "actual" | "gap";
  text: string;
}

/** Texts longer than this many lines are compared line by line, unaligned. */
const MAX_ALIGNED_LINES = 2000;

const NO_FINAL_NEWLINE = "\\ No newline at end";

function splitLines(text: string): string[] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  else lines.push(NO_FINAL_NEWLINE);
  return lines;
}

/** Aligns two line lists by their longest common subsequence. */
function alignLines(expected: string[], actual: string[]): DiffLine[] {
  const rows = expected.length;
  const cols = actual.length;
  if (rows * cols > MAX_ALIGNED_LINES * MAX_ALIGNED_LINES / 4) {
    return [
      ...expected.map((text): DiffLine => ({ kind: "expected", text })),
      ...actual.map((text): DiffLine => ({ kind: "actual", text })),
    ];
  }
  // lengths[i][j]: common-subsequence length of expected[i..] and actual[j..].
  const lengths = Array.from({ length: rows + 1 }, () => new Uint32Array(cols + 1));
  for (let i = rows - 1; i >= 0; i--) {
    for (let j = cols - 1; j >= 0; j--) {
      lengths[i][j] = expected[i] === actual[j]
        ? lengths[i + 1][j + 1] + 1
        : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < rows || j < cols) {
    if (i < rows && j < cols && expected[i] === actual[j]) {
      out.push({ kind: "same", text: expected[i] });
      i++;
      j++;
    } else if (i < rows && (j === cols || lengths[i + 1][j] >= lengths[i][j + 1])) {
      out.push({ kind: "expected", text: expected[i++] });
    } else {
      out.push({ kind: "actual", text: actual[j++] });
    }
  }
  return out;
}

/** Keeps changed lines and `context` kept lines around each change. */
function keepNearChanges(lines: DiffLine[], context: number): DiffLine[] {
  const isNear = lines.map(() => false);
  lines.forEach((line, index) => {
    if (line.kind === "same") return;
    const from = Math.max(0, index - context);
    const to = Math.min(lines.length - 1, index + context);
    for (let k = from; k <= to; k++) isNear[k] = true;
  });
  const out: DiffLine[] = [];
  lines.forEach((line, index) => {
    if (isNear[index]) out.push(line);
    else if (out.length === 0 || out[out.length - 1].kind !== "gap") {
      out.push({ kind: "gap", text: "..." });
    }
  });
  return out;
}

/**
 * Diffs two texts by lines. At most `maxLines` lines are returned (the
 * last one then says how many were left out).
 */
export function diffText(
  expected: string,
  actual: string,
  options: { context?: number; maxLines?: number } = {},
): DiffLine[] {
  const context = options.context ?? 2;
  const maxLines = options.maxLines ?? 16;
  const aligned = alignLines(splitLines(expected), splitLines(actual));
  const near = keepNearChanges(aligned, context);
  if (near.length <= maxLines) return near;
  const left = near.length - (maxLines - 1);
  return [
    ...near.slice(0, maxLines - 1),
    { kind: "gap", text: `... ${left} more diff lines` },
  ];
}

/** Formats diff lines as `-expected` / `+actual` / ` same` text lines. */
export function formatDiff(lines: DiffLine[]): string[] {
  const prefix = { same: " ", expected: "-", actual: "+", gap: "" } as const;
  return lines.map((line) => prefix[line.kind] + line.text);
}
