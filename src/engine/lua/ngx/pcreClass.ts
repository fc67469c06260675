/**
 * Parses a PCRE character class (`[...]`) into code point ranges, with
 * PCRE's rules. A `]` right after `[` or `[^` is literal, and so is `-` at
 * either end. POSIX classes such as [:alpha:] and [:^digit:] may appear
 * inside, and a range ends at a single character only.
 */
import { complement, posixClassRanges, type Ranges } from "./pcreCharSet";
import { PcreSyntaxError } from "./pcreErrors";

/** One escape inside a class, as read by the translator. */
export interface ClassEscape {
  cp?: number;
  ranges?: Ranges;
  /** A JavaScript property escape such as `\p{L}` (UTF-8 mode). */
  property?: string;
  end: number;
}

/** Translator services that parseClass uses. */
export interface ClassContext {
  isUtf: boolean;
  maxCodePoint: number;
  readEscape(at: number): ClassEscape;
}

/** A parsed class: its ranges before negation, and where it ends. */
export interface ParsedClass {
  ranges: Ranges;
  properties: string;
  isNegated: boolean;
  /** Index just after the closing `]`. */
  end: number;
}

const CLOSE = 0x5d;
const DASH = 0x2d;
const BACKSLASH = 0x5c;

/** Reads a POSIX class such as [:alpha:] at `at`, or null if there is none. */
function readPosix(
  cps: number[],
  at: number,
  maxCodePoint: number,
): { ranges: Ranges; end: number } | null {
  if (cps[at] !== 0x5b || (cps[at + 1] !== 0x3a && cps[at + 1] !== 0x2e && cps[at + 1] !== 0x3d)) {
    return null;
  }
  const text = String.fromCodePoint(...cps.slice(at, at + 20));
  const m = /^\[:(\^?)([a-z]+):\]/.exec(text);
  if (!m) return null;
  const ranges = posixClassRanges(m[2]);
  if (!ranges) throw new PcreSyntaxError("unknown POSIX class name", at + 1);
  return {
    ranges: m[1] === "^" ? complement(ranges, maxCodePoint) : ranges,
    end: at + m[0].length,
  };
}

/** Parses the class that starts with the `[` at `at`. */
export function parseClass(cps: number[], at: number, ctx: ClassContext): ParsedClass {
  let i = at + 1;
  const isNegated = cps[i] === 0x5e;
  if (isNegated) i++;
  const ranges: Ranges = [];
  let properties = "";
  let isFirst = true;
  for (;;) {
    if (i >= cps.length) {
      throw new PcreSyntaxError("missing terminating ] for character class", cps.length);
    }
    if (cps[i] === CLOSE && !isFirst) return { ranges, properties, isNegated, end: i + 1 };
    isFirst = false;
    const posix = readPosix(cps, i, ctx.maxCodePoint);
    if (posix) {
      ranges.push(...posix.ranges);
      i = posix.end;
      continue;
    }
    const item = readItem(cps, i, ctx);
    if (item.property !== undefined) properties += item.property;
    if (item.ranges) ranges.push(...item.ranges);
    i = item.end;
    if (item.cp === undefined) continue;
    const isRange = cps[i] === DASH && cps[i + 1] !== undefined && cps[i + 1] !== CLOSE;
    if (!isRange) {
      ranges.push([item.cp, item.cp]);
      continue;
    }
    const high = readItem(cps, i + 1, ctx);
    if (high.cp === undefined) {
      throw new PcreSyntaxError("invalid range in character class", high.end - 1);
    }
    if (high.cp < item.cp) {
      throw new PcreSyntaxError("range out of order in character class", high.end - 1);
    }
    ranges.push([item.cp, high.cp]);
    i = high.end;
  }
}

function readItem(cps: number[], i: number, ctx: ClassContext): ClassEscape {
  if (cps[i] === BACKSLASH) return ctx.readEscape(i);
  return { cp: cps[i], end: i + 1 };
}
