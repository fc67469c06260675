/**
 * Translates a PCRE pattern (the dialect of nginx's PCRE2 10.42) into a
 * JavaScript RegExp source with the same matches. The translator applies
 * the options itself (case folding, dot-all, multi-line anchors, extended
 * mode, inline `(?i)` groups) instead of using JavaScript's flags, because
 * PCRE folds case only for ASCII in byte mode and its `$` also matches
 * before a final newline. Atomic groups and possessive quantifiers become
 * the lookahead-and-back-reference idiom `(?=(X))\1`, which matches the
 * same text. What has no JavaScript equivalent raises
 * PcreUnsupportedError; syntax errors raise PcreSyntaxError with PCRE2's
 * error text and offset.
 */
import {
  addCaseVariants,
  caseVariants,
  complement,
  escapeClassRanges,
  escapeCodePoint,
  rangesToClass,
} from "./pcreCharSet";
import { parseClass } from "./pcreClass";
import { EscapeReader } from "./pcreEscapes";
import { countGroups, isVariableLength } from "./pcreScan";
import { PcreSyntaxError, PcreUnsupportedError } from "./pcreErrors";

export { PcreSyntaxError, PcreUnsupportedError };

/** Compile options of a pattern, from ngx.re's option letters. */
export interface PcreOptions {
  caseless: boolean;
  multiline: boolean;
  dotall: boolean;
  extended: boolean;
  /** UTF-8 mode (`u` / `U`): the pattern and subject are code points. */
  utf: boolean;
  /** Duplicate group names allowed (`D`). */
  dupnames: boolean;
}

/** A translated pattern and what ngx.re needs to build its captures table. */
export interface TranslatedPattern {
  source: string;
  /** Number of PCRE capture groups (the highest group number). */
  captureCount: number;
  /** JavaScript group index of each PCRE group; index 0 is the match. */
  groupIndex: number[];
  /** Named groups, sorted by name and then group number, as PCRE's name table. */
  names: Array<{ name: string; group: number }>;
  /** The pattern starts with \G, so it matches only at the start offset. */
  isAnchored: boolean;
}

/** Options that inline groups such as (?i) and (?-s) change. */
interface Flags {
  caseless: boolean;
  multiline: boolean;
  dotall: boolean;
  extended: boolean;
  ungreedy: boolean;
}

interface OpenGroup {
  saved: Flags;
  outStart: number;
  close: string;
  sourceStart: number;
  isLookbehind: boolean;
  isAssertion: boolean;
}

const CH = (s: string) => s.codePointAt(0) as number;
const WHITESPACE = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20]);
const START = "(?<![\\s\\S])";
const END = "(?![\\s\\S])";

/** Marker characters; the translator escapes every control character it copies. */
const GROUP_MARK = "\u0002";
const HELPER_MARK = "\u0003";
const HELPER_REF = "\u0004";
const GROUP_REF = "\u0005";
const NAME_REF = "\u0006";

function isDigit(cp: number | undefined): boolean {
  return cp !== undefined && cp >= 0x30 && cp <= 0x39;
}

function isWordChar(cp: number | undefined): boolean {
  if (cp === undefined) return false;
  return isDigit(cp) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) || cp === 0x5f;
}

class Translator {
  private i = 0;
  private readonly out: string[] = [];
  private lastAtom = -1;
  private flags: Flags;
  private readonly stack: OpenGroup[] = [];
  private nextGroup = 1;
  private nextHelper = 1;
  private readonly names: Array<{ name: string; group: number }> = [];
  private readonly totalGroups: number;
  private readonly maxCodePoint: number;
  private isAnchored = false;
  private readonly groupRefs: Array<{ group: number; offset: number }> = [];
  private readonly nameRefs: Array<{ name: string; offset: number }> = [];
  private readonly escapes: EscapeReader;

  constructor(
    private readonly cps: number[],
    private readonly options: PcreOptions,
  ) {
    this.flags = {
      caseless: options.caseless,
      multiline: options.multiline,
      dotall: options.dotall,
      extended: options.extended,
      ungreedy: false,
    };
    this.totalGroups = countGroups(cps);
    this.maxCodePoint = options.utf ? 0x10ffff : 0xff;
    this.escapes = new EscapeReader(cps, options.utf, this.maxCodePoint);
  }

  translate(): TranslatedPattern {
    const cps = this.cps;
    while (this.i < cps.length) this.step();
    if (this.stack.length > 0) throw new PcreSyntaxError("missing closing parenthesis", cps.length);
    return this.finish();
  }

  private step(): void {
    const c = this.cps[this.i];
    if (this.flags.extended && WHITESPACE.has(c)) {
      this.i++;
      return;
    }
    if (this.flags.extended && c === CH("#")) {
      while (this.i < this.cps.length && this.cps[this.i] !== 0x0a) this.i++;
      this.i++;
      return;
    }
    switch (String.fromCodePoint(c)) {
      case "\\":
        return this.escape();
      case "[":
        return this.characterClass();
      case "(":
        return this.openGroup();
      case ")":
        return this.closeGroup();
      case "|":
        this.out.push("|");
        this.lastAtom = -1;
        this.i++;
        return;
      case "^":
        this.i++;
        return this.assertion(this.flags.multiline ? `(?:${START}|(?<=\\n)(?=[\\s\\S]))` : START);
      case "$":
        this.i++;
        return this.assertion(this.flags.multiline ? `(?=\\n|${END})` : `(?=\\n?${END})`);
      case ".":
        this.i++;
        return this.atom(this.flags.dotall ? "[\\s\\S]" : "[^\\n]");
      case "*":
      case "+":
      case "?":
        return this.quantifier();
      case "{":
        if (this.quantifierBraces() !== null) return this.quantifier();
        this.i++;
        return this.literal(c);
      default:
        this.i++;
        return this.literal(c);
    }
  }

  private atom(text: string): void {
    this.lastAtom = this.out.length;
    this.out.push(text);
  }

  private assertion(text: string): void {
    this.out.push(text);
    this.lastAtom = -1;
  }

  private literal(cp: number): void {
    const variants = this.flags.caseless ? caseVariants(cp, this.options.utf) : [];
    if (variants.length === 0) return this.atom(escapeCodePoint(cp, this.options.utf));
    const ranges: Array<[number, number]> = [cp, ...variants].map((v) => [v, v]);
    this.atom(rangesToClass(ranges, this.options.utf));
  }

  /** Parses `{n}`, `{n,}` or `{n,m}` at the cursor; null if it is a literal brace. */
  private quantifierBraces(): { min: number; max: number | null; length: number } | null {
    const text = String.fromCodePoint(...this.cps.slice(this.i, this.i + 24));
    const m = /^\{(\d+)(,(\d*))?\}/.exec(text);
    if (!m) return null;
    const min = Number(m[1]);
    let max: number | null = min;
    if (m[2] !== undefined) max = m[3] === "" ? null : Number(m[3]);
    return { min, max, length: m[0].length };
  }

  private quantifier(): void {
    const start = this.i;
    const c = String.fromCodePoint(this.cps[this.i]);
    let text = c;
    if (c === "{") {
      const braces = this.quantifierBraces();
      if (!braces) throw new Error("quantifier() called on a literal brace");
      const end = start + braces.length - 1;
      if (braces.min > 65535 || (braces.max ?? 0) > 65535) {
        throw new PcreSyntaxError("number too big in {} quantifier", end);
      }
      if (braces.max !== null && braces.max < braces.min) {
        throw new PcreSyntaxError("numbers out of order in {} quantifier", end);
      }
      text = `{${braces.min}${braces.max === braces.min ? "" : `,${braces.max ?? ""}`}}`;
      this.i += braces.length;
    } else this.i++;
    if (this.lastAtom < 0) {
      throw new PcreSyntaxError("quantifier does not follow a repeatable item", start);
    }
    let isLazy = this.flags.ungreedy;
    let isPossessive = false;
    if (this.cps[this.i] === CH("?")) {
      isLazy = !isLazy;
      this.i++;
    } else if (this.cps[this.i] === CH("+")) {
      isPossessive = true;
      this.i++;
    }
    const atomStart = this.lastAtom;
    this.out.push(text + (isLazy && !isPossessive ? "?" : ""));
    if (isPossessive) this.wrapAtomic(atomStart);
    this.lastAtom = -1;
  }

  /** Makes out[start..] atomic: `(?=(X))\N` cannot backtrack into X. */
  private wrapAtomic(start: number): void {
    const inner = this.out.splice(start).join("");
    const helper = this.nextHelper++;
    this.out.push(
      `(?:(?=(${HELPER_MARK}${helper}${HELPER_MARK}${inner}))${HELPER_REF}${helper}${HELPER_REF})`,
    );
    this.lastAtom = start;
  }

  private characterClass(): void {
    const parsed = parseClass(this.cps, this.i, {
      isUtf: this.options.utf,
      maxCodePoint: this.maxCodePoint,
      readEscape: (at) => this.escapes.classEscape(at),
    });
    this.i = parsed.end;
    let ranges = parsed.ranges;
    if (this.flags.caseless) ranges = addCaseVariants(ranges, this.options.utf);
    if (parsed.properties === "") {
      const set = parsed.isNegated ? complement(ranges, this.maxCodePoint) : ranges;
      return this.atom(rangesToClass(set, this.options.utf));
    }
    const body = rangesToClass(ranges, this.options.utf, parsed.properties).slice(1);
    this.atom((parsed.isNegated ? "[^" : "[") + body);
  }

  private escape(): void {
    const at = this.i;
    const cps = this.cps;
    const next = cps[at + 1];
    if (next === undefined) throw new PcreSyntaxError("\\ at end of pattern", at + 1);
    const letter = String.fromCodePoint(next);
    const set = escapeClassRanges(letter, this.maxCodePoint);
    if (set) {
      this.i = at + 2;
      return this.atom(rangesToClass(set, this.options.utf));
    }
    if (this.escapeAssertion(letter)) return;
    if (letter === "p" || letter === "P") {
      const { text, end } = this.escapes.property(at);
      this.i = end;
      return this.atom(text);
    }
    if (letter === "Q") return this.quoted();
    if (letter === "E") {
      this.i = at + 2;
      return;
    }
    if (letter === "N") {
      this.i = at + 2;
      return this.atom("[^\\n]");
    }
    if (letter === "R") {
      this.i = at + 2;
      const extra = this.options.utf ? "\\u2028\\u2029" : "";
      this.atom(`(?:\\r\\n|[\\n\\x0b\\x0c\\r\\x85${extra}])`);
      return this.wrapAtomic(this.lastAtom);
    }
    if (letter === "g" || letter === "k" || (next >= 0x31 && next <= 0x39)) {
      if (this.backReference(at)) return;
    }
    const code = this.escapes.codeEscape(at);
    if (code) {
      this.i = code.end;
      return this.literal(code.cp);
    }
    if (next >= 0x31 && next <= 0x37) {
      const octal = this.escapes.octal(at);
      this.i = octal.end;
      return this.literal(octal.cp);
    }
    if (letter === "K" || letter === "X" || letter === "C") {
      throw new PcreUnsupportedError(`\\${letter}`);
    }
    if ("LlUu".includes(letter)) {
      throw new PcreSyntaxError(
        "PCRE2 does not support \\F, \\L, \\l, \\N{name}, \\U, or \\u",
        at + 2,
      );
    }
    if (isWordChar(next)) throw new PcreSyntaxError("unrecognized character follows \\", at + 1);
    this.i = at + 2;
    this.literal(next);
  }

  private escapeAssertion(letter: string): boolean {
    const texts: Record<string, string> = {
      b: "\\b",
      B: "\\B",
      A: START,
      z: END,
      Z: `(?=\\n?${END})`,
    };
    if (letter === "G") {
      if (this.out.length > 0 || this.stack.length > 0) {
        throw new PcreUnsupportedError("\\G after the start of the pattern");
      }
      this.isAnchored = true;
      this.i += 2;
      return true;
    }
    if (!(letter in texts)) return false;
    this.i += 2;
    this.assertion(texts[letter]);
    return true;
  }

  /** \Q...\E: everything up to \E (or the end) is literal. */
  private quoted(): void {
    let j = this.i + 2;
    while (j < this.cps.length) {
      if (this.cps[j] === CH("\\") && this.cps[j + 1] === CH("E")) break;
      this.literal(this.cps[j]);
      j++;
    }
    this.i = Math.min(j + 2, this.cps.length);
  }

  /** \1, \g{-1}, \g1, \k<name>, \k'name', \k{name}, \g{name}. Returns false for octal. */
  private backReference(at: number): boolean {
    const cps = this.cps;
    const text = String.fromCodePoint(...cps.slice(at, at + 40));
    let m = /^\\(\d+)/.exec(text);
    if (m) {
      const n = Number(m[1]);
      if (n >= 10 && n > this.totalGroups && /^[0-7]/.test(m[1])) return false;
      this.i = at + m[0].length;
      this.emitGroupRef(n, at + 1);
      return true;
    }
    m = /^\\g(?:\{(-?\d+)\}|(-?\d+))/.exec(text);
    if (m) {
      let n = Number(m[1] ?? m[2]);
      if (n < 0) n = this.nextGroup + n;
      this.i = at + m[0].length;
      this.emitGroupRef(n, at + 2);
      return true;
    }
    m = /^\\(?:k<(\w+)>|k'(\w+)'|k\{(\w+)\}|g\{(\w+)\})/.exec(text);
    if (m) {
      this.i = at + m[0].length;
      this.emitNameRef(m[1] ?? m[2] ?? m[3] ?? m[4], at + m[0].length - 1);
      return true;
    }
    if (/^\\g[<']/.test(text)) throw new PcreUnsupportedError("subroutine call \\g<...>");
    throw new PcreSyntaxError(
      "\\g is not followed by a braced, angle-bracketed, or quoted " +
        "name/number or by a plain number",
      at + 2,
    );
  }

  private checkCaseless(construct: string): void {
    // NOTE: PCRE compares back-references caselessly under (?i); a
    // JavaScript back-reference without the i flag cannot.
    if (this.flags.caseless) throw new PcreUnsupportedError(`${construct} with the i option`);
  }

  private emitGroupRef(group: number, offset: number): void {
    this.checkCaseless("back-reference");
    this.groupRefs.push({ group, offset });
    this.atom(`(?:${GROUP_REF}${group}${GROUP_REF})`);
  }

  private emitNameRef(name: string, offset: number): void {
    this.checkCaseless("back-reference");
    this.nameRefs.push({ name, offset });
    this.atom(`(?:${NAME_REF}${name}${NAME_REF})`);
  }

  private openGroup(): void {
    const start = this.i;
    const cps = this.cps;
    if (cps[start + 1] === CH("*")) throw new PcreUnsupportedError("(*VERB)");
    if (cps[start + 1] !== CH("?")) {
      this.i = start + 1;
      this.pushCapture(start);
      return;
    }
    const kind = String.fromCodePoint(...cps.slice(start + 2, start + 4));
    const first = kind.charAt(0);
    if (first === ":") return this.pushGroup(start, 3, "(?:", ")");
    if (first === "=" || first === "!") {
      return this.pushGroup(start, 3, `(?${first}`, ")", false, true);
    }
    if (kind === "<=" || kind === "<!") {
      return this.pushGroup(start, 4, `(?${kind}`, ")", true, true);
    }
    if (first === ">") {
      const helper = this.nextHelper++;
      const close = `))${HELPER_REF}${helper}${HELPER_REF})`;
      return this.pushGroup(start, 3, `(?:(?=(${HELPER_MARK}${helper}${HELPER_MARK}`, close);
    }
    if (first === "#") {
      const close = cps.indexOf(CH(")"), start);
      if (close < 0) throw new PcreSyntaxError("missing ) after (?# comment", cps.length);
      this.i = close + 1;
      return;
    }
    if (first === "<" || first === "'" || kind === "P<") return this.namedGroup(start);
    if (kind === "P=") return this.namedReference(start);
    const unsupported: Record<string, string> = {
      "|": "branch reset (?|...)",
      "(": "conditional group (?(...)...)",
      R: "recursion (?R)",
      "&": "subroutine call (?&name)",
      C: "callout (?C)",
      P: "subroutine call (?P>name)",
    };
    if (first in unsupported) throw new PcreUnsupportedError(unsupported[first]);
    const isSigned = first === "+" || first === "-";
    if (isDigit(kind.codePointAt(0)) || (isSigned && isDigit(kind.codePointAt(1)))) {
      throw new PcreUnsupportedError("subroutine call (?N)");
    }
    this.inlineOptions(start);
  }

  private pushGroup(
    start: number,
    length: number,
    open: string,
    close: string,
    isLookbehind = false,
    isAssertion = false,
  ): void {
    this.stack.push({
      saved: { ...this.flags },
      outStart: this.out.length,
      close,
      sourceStart: start,
      isLookbehind,
      isAssertion,
    });
    this.out.push(open);
    this.lastAtom = -1;
    this.i = start + length;
  }

  private pushCapture(start: number): number {
    const group = this.nextGroup++;
    this.pushGroup(start, this.i - start, `(${GROUP_MARK}${group}${GROUP_MARK}`, ")");
    return group;
  }

  private namedGroup(start: number): void {
    const cps = this.cps;
    const nameStart = cps[start + 2] === CH("P") ? start + 4 : start + 3;
    const terminator = cps[nameStart - 1] === CH("'") ? CH("'") : CH(">");
    let end = nameStart;
    while (isWordChar(cps[end])) end++;
    if (isDigit(cps[nameStart])) {
      throw new PcreSyntaxError("subpattern name must start with a non-digit", nameStart);
    }
    if (cps[end] !== terminator || end === nameStart) {
      throw new PcreSyntaxError("syntax error in subpattern name (missing terminator?)", end);
    }
    const name = String.fromCodePoint(...cps.slice(nameStart, end));
    if (!this.options.dupnames && this.names.some((n) => n.name === name)) {
      throw new PcreSyntaxError(
        "two named subpatterns have the same name (PCRE2_DUPNAMES not set)",
        end + 1,
      );
    }
    this.i = end + 1;
    const group = this.pushCapture(start);
    this.names.push({ name, group });
  }

  private namedReference(start: number): void {
    const cps = this.cps;
    let end = start + 4;
    while (isWordChar(cps[end])) end++;
    if (cps[end] !== CH(")")) {
      throw new PcreSyntaxError("syntax error in subpattern name (missing terminator?)", end);
    }
    this.i = end + 1;
    this.emitNameRef(String.fromCodePoint(...cps.slice(start + 4, end)), end);
  }

  /** (?imsxU-imsxU) for the rest of the group, or (?i:...) as a group. */
  private inlineOptions(start: number): void {
    const cps = this.cps;
    const flags = { ...this.flags };
    let isOn = true;
    let j = start + 2;
    for (; j < cps.length; j++) {
      const c = String.fromCodePoint(cps[j]);
      if (c === ")" || c === ":") break;
      if (c === "-") isOn = false;
      else if (c === "^") {
        flags.caseless = false;
        flags.multiline = false;
        flags.dotall = false;
        flags.extended = false;
        flags.ungreedy = false;
      } else if (c === "i") flags.caseless = isOn;
      else if (c === "m") flags.multiline = isOn;
      else if (c === "s") flags.dotall = isOn;
      else if (c === "x") flags.extended = isOn;
      else if (c === "U") flags.ungreedy = isOn;
      else if (c === "J") continue;
      else if (c === "n") throw new PcreUnsupportedError("(?n)");
      else throw new PcreSyntaxError("unrecognized character after (? or (?-", j);
    }
    if (j >= cps.length) throw new PcreSyntaxError("missing closing parenthesis", cps.length);
    if (cps[j] === CH(")")) {
      this.flags = flags;
      this.i = j + 1;
      return;
    }
    this.pushGroup(start, j + 1 - start, "(?:", ")");
    this.flags = flags;
  }

  private closeGroup(): void {
    const group = this.stack.pop();
    if (!group) throw new PcreSyntaxError("unmatched closing parenthesis", this.i);
    if (group.isLookbehind && isVariableLength(this.cps, group.sourceStart + 4, this.i)) {
      throw new PcreSyntaxError("lookbehind assertion is not fixed length", group.sourceStart);
    }
    this.out.push(group.close);
    this.flags = group.saved;
    this.lastAtom = group.isAssertion ? -1 : group.outStart;
    this.i++;
  }

  private finish(): TranslatedPattern {
    const captureCount = this.nextGroup - 1;
    for (const ref of this.groupRefs) {
      if (ref.group < 1 || ref.group > captureCount) {
        throw new PcreSyntaxError("reference to non-existent subpattern", ref.offset);
      }
    }
    const groupIndex: number[] = [0];
    const helperIndex: number[] = [];
    let next = 1;
    let source = this.out.join("").replace(
      new RegExp(`${GROUP_MARK}(\\d+)${GROUP_MARK}|${HELPER_MARK}(\\d+)${HELPER_MARK}`, "g"),
      (_, group: string | undefined, helper: string | undefined) => {
        if (group !== undefined) groupIndex[Number(group)] = next++;
        else helperIndex[Number(helper)] = next++;
        return "";
      },
    );
    const names = [...this.names].sort((a, b) => {
      if (a.name === b.name) return a.group - b.group;
      return a.name < b.name ? -1 : 1;
    });
    source = source
      .replace(
        new RegExp(`${GROUP_REF}(\\d+)${GROUP_REF}`, "g"),
        (_, g) => `\\${groupIndex[Number(g)]}`,
      )
      .replace(
        new RegExp(`${HELPER_REF}(\\d+)${HELPER_REF}`, "g"),
        (_, h) => `\\${helperIndex[Number(h)]}`,
      )
      .replace(new RegExp(`${NAME_REF}(\\w+)${NAME_REF}`, "g"), (_, name: string) => {
        const target = names.find((n) => n.name === name);
        if (!target) {
          const ref = this.nameRefs.find((r) => r.name === name);
          throw new PcreSyntaxError("reference to non-existent subpattern", ref?.offset ?? 0);
        }
        return `\\${groupIndex[target.group]}`;
      });
    return { source, captureCount, groupIndex, names, isAnchored: this.isAnchored };
  }
}

/**
 * Translates a PCRE pattern, given as code points (bytes in byte mode),
 * into a JavaScript RegExp source for use with the flags "dg" (plus "u" in
 * UTF-8 mode). Raises PcreSyntaxError or PcreUnsupportedError.
 */
export function translatePcre(pattern: number[], options: PcreOptions): TranslatedPattern {
  return new Translator(pattern, options).translate();
}
