/**
 * Reads PCRE escapes that stand for one code point (\n, \x41, \x{263a},
 * \101, \o{101}, \cA) or for a set (\d, \p{L}) inside and outside classes.
 */
import { escapeClassRanges, type Ranges } from "./pcreCharSet";
import { PcreSyntaxError, PcreUnsupportedError } from "./pcreErrors";

const CH = (s: string) => s.codePointAt(0) as number;
const SIMPLE_ESCAPES: Record<string, number> = {
  n: 0x0a,
  r: 0x0d,
  t: 0x09,
  f: 0x0c,
  e: 0x1b,
  a: 0x07,
};

function isWordChar(cp: number | undefined): boolean {
  if (cp === undefined) return false;
  const isLetter = (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
  return isLetter || (cp >= 0x30 && cp <= 0x39) || cp === 0x5f;
}

/** Reads escapes of one pattern; offsets are code point indexes. */
export class EscapeReader {
  constructor(
    private readonly cps: number[],
    private readonly isUtf: boolean,
    private readonly maxCodePoint: number,
  ) {}

  /** Reads a code point escape (\n, \x41, \101, \cA, ...) at `at`, or null. */
  codeEscape(at: number): { cp: number; end: number } | null {
    const cps = this.cps;
    const letter = cps[at + 1] === undefined ? "" : String.fromCodePoint(cps[at + 1]);
    if (letter in SIMPLE_ESCAPES) return { cp: SIMPLE_ESCAPES[letter], end: at + 2 };
    if (letter === "x") return this.hexEscape(at);
    if (letter === "o" && cps[at + 2] === CH("{")) {
      const close = cps.indexOf(CH("}"), at + 3);
      const digits = String.fromCodePoint(...cps.slice(at + 3, close));
      return { cp: this.checkCodePoint(parseInt(digits, 8), close), end: close + 1 };
    }
    if (letter === "c") {
      const target = cps[at + 2];
      if (target === undefined || target < 0x20 || target > 0x7e) {
        throw new PcreSyntaxError("\\c must be followed by a printable ASCII character", at + 2);
      }
      const upper = target >= 0x61 && target <= 0x7a ? target - 0x20 : target;
      return { cp: upper ^ 0x40, end: at + 3 };
    }
    if (letter === "0") {
      let end = at + 2;
      while (end < at + 4 && cps[end] >= 0x30 && cps[end] <= 0x37) end++;
      const digits = String.fromCodePoint(...cps.slice(at + 1, end));
      return { cp: parseInt(digits, 8), end };
    }
    return null;
  }

  hexEscape(at: number): { cp: number; end: number } {
    const cps = this.cps;
    if (cps[at + 2] === CH("{")) {
      const close = cps.indexOf(CH("}"), at + 3);
      const digits = String.fromCodePoint(...cps.slice(at + 3, close));
      if (close < 0 || !/^[0-9a-fA-F]+$/.test(digits)) {
        throw new PcreSyntaxError("\\x{ is not followed by }", at + 3);
      }
      return { cp: this.checkCodePoint(parseInt(digits, 16), close), end: close + 1 };
    }
    let end = at + 2;
    while (end < at + 4 && /[0-9a-fA-F]/.test(String.fromCodePoint(cps[end] ?? 0x20))) end++;
    const digits = String.fromCodePoint(...cps.slice(at + 2, end));
    return { cp: digits === "" ? 0 : parseInt(digits, 16), end };
  }

  checkCodePoint(cp: number, offset: number): number {
    if (cp > this.maxCodePoint) {
      throw new PcreSyntaxError(
        "character code point value in \\x{} or \\o{} is too large",
        offset,
      );
    }
    return cp;
  }

  /** An escape inside a class: a code point, a set of ranges or a property. */
  classEscape(at: number): {
    cp?: number;
    ranges?: Ranges;
    property?: string;
    end: number;
  } {
    const next = this.cps[at + 1];
    if (next === undefined) throw new PcreSyntaxError("\\ at end of pattern", at + 1);
    const letter = String.fromCodePoint(next);
    if (letter === "b") return { cp: 0x08, end: at + 2 };
    const set = escapeClassRanges(letter, this.maxCodePoint);
    if (set) return { ranges: set, end: at + 2 };
    if (letter === "p" || letter === "P") {
      const { text, end } = this.property(at);
      return { property: text, end };
    }
    const code = this.codeEscape(at);
    if (code) return code;
    if (next >= 0x31 && next <= 0x37) return this.octal(at);
    if (isWordChar(next)) throw new PcreSyntaxError("unrecognized character follows \\", at + 1);
    return { cp: next, end: at + 2 };
  }

  octal(at: number): { cp: number; end: number } {
    let end = at + 1;
    while (end < at + 4 && this.cps[end] >= 0x30 && this.cps[end] <= 0x37) end++;
    const digits = String.fromCodePoint(...this.cps.slice(at + 1, end));
    return { cp: this.checkCodePoint(parseInt(digits, 8), end), end };
  }

  /** \p{Name} / \P{Name} / \pL as a JavaScript property escape (UTF mode only). */
  property(at: number): { text: string; end: number } {
    const cps = this.cps;
    const letter = String.fromCodePoint(cps[at + 1]);
    if (!this.isUtf) throw new PcreUnsupportedError(`\\${letter} without the u option`);
    let name: string;
    let end: number;
    if (cps[at + 2] === CH("{")) {
      const close = cps.indexOf(CH("}"), at + 3);
      if (close < 0) throw new PcreSyntaxError("malformed \\P or \\p sequence", at + 3);
      name = String.fromCodePoint(...cps.slice(at + 3, close));
      end = close + 1;
    } else {
      name = String.fromCodePoint(cps[at + 2] ?? 0x20);
      end = at + 3;
    }
    let negate = letter === "P";
    if (name.startsWith("^")) {
      negate = !negate;
      name = name.slice(1);
    }
    const jsName = /^(L|M|N|P|S|Z|C)[a-z&]?$/.test(name) ? name.replace("&", "C") : null;
    const text = jsName ?? (name === "Any" ? null : `Script=${name}`);
    if (text === null) return { text: negate ? "[^\\s\\S]" : "[\\s\\S]", end };
    try {
      new RegExp(`\\p{${text}}`, "u");
    } catch {
      throw new PcreSyntaxError("unknown property name after \\P or \\p", end - 1);
    }
    return { text: `\\${negate ? "P" : "p"}{${text}}`, end };
  }
}
